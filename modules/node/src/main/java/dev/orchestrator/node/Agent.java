package dev.orchestrator.node;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.kernel.PluginManager;
import io.helidon.webserver.WebServer;
import java.io.PrintStream;

/**
 * A remote agent: the {@link Node} runtime wired to the control plane over HTTP (it joins with
 * the join token, then reports and watches with its own credential, over the cluster's TLS
 * when the server has it), plus the agent's own endpoint through which the server reaches
 * the node. {@link #close()} stops all of it and leaves the containers running: a restarted
 * agent adopts them.
 */
public final class Agent implements AutoCloseable {
    private final AgentOptions options;
    private final Node node;
    private final HttpControlPlaneLink link;
    private final WebServer endpoint;

    private Agent(AgentOptions options, Node node, HttpControlPlaneLink link, WebServer endpoint) {
        this.options = options;
        this.node = node;
        this.link = link;
        this.endpoint = endpoint;
    }

    /**
     * Starts the agent: its endpoint, then the node (one report and one view, at most a few
     * seconds when the server does not answer).
     *
     * @param options how to run
     * @param plugins the discovered plugins
     * @param out     where the start-up line goes
     * @return the running agent
     * @throws OrchestratorException when the runtime is unreachable or a plugin is missing
     */
    public static Agent start(AgentOptions options, PluginManager plugins, PrintStream out) {
        // A bad CA file stops the start before anything is opened.
        var tls = options.caCert() == null ? null : CaTrust.context(options.caCert(), "--ca-cert");
        Node node = Node.create(options.node(), plugins);
        var link = HttpControlPlaneLink.joining(options.server(), options.token(), options.name(), options.dataDir(), tls);
        WebServer endpoint;
        try {
            endpoint = NodeEndpoint.start(options.advertiseAddress(), options.port(), node.link(), node::serverKey);
        } catch (RuntimeException e) {
            node.close();
            link.close();
            throw e;
        }
        node.start(link, "http://" + hostLiteral(options.advertiseAddress()) + ":" + endpoint.port());
        out.println("orchestrator agent " + options.name() + " (" + options.advertiseAddress() + ") joining "
                + options.server() + "; endpoint on port " + endpoint.port());
        return new Agent(options, node, link, endpoint);
    }

    /** @return the port of the agent's endpoint */
    public int port() {
        return endpoint.port();
    }

    /** @return the node name */
    public String name() {
        return options.name();
    }

    private static String hostLiteral(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    /** Stops the node and the endpoint; containers keep running. Idempotent. */
    @Override
    public void close() {
        node.close();
        if (endpoint.isRunning()) {
            endpoint.stop();
        }
        link.close();
    }
}
