package dev.orchestrator.cli;

import dev.orchestrator.wire.Views;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code orchestrator stats [NAME]}: replicas' live CPU and memory, like {@code docker stats}. */
final class StatsCommand extends ClientCommand {
    /** Time between two refreshes of the live table. */
    static final long REFRESH_MILLIS = 2000;
    /** Moves the cursor home and clears the screen: the table refreshes in place. */
    private static final String CLEAR = "\033[H\033[2J";
    static final String UNKNOWN = "--";

    StatsCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public String summary() {
        return "Show replicas' live CPU and memory use";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator stats [NAME] [--no-stream]

                Shows the CPU and memory use of the running replicas of service NAME, or of every
                service, as the nodes last measured them (every 5 s), like docker stats:

                  NAME          NODE    CPU %   MEM USAGE / LIMIT    MEM %
                  api-server-0  node-1  1.50%   11.8MiB / 256MiB     4.61%

                CPU % counts 100% per busy CPU. A replica not measured yet, or whose last
                measurement is stale (its node stopped reporting it), shows -- instead of a figure.
                On a terminal the table refreshes in place every 2 s until interrupted (Ctrl-C);
                otherwise a new table is printed every 2 s.

                Options:
                      --no-stream      print the table once and exit
                """ + ApiClient.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, Set.of(), Set.of("no-stream"));
        String name = args.positionals().isEmpty() ? null : serviceName(args, "stats");
        boolean once = args.flag("no-stream");
        boolean terminal = terminal();
        try (ApiClient api = connect(args)) {
            while (true) {
                List<Views.Service> services = name == null
                        ? api.getList("/api/services", Views.Service.class).value()
                        : List.of(api.get("/api/services/" + name, Views.Service.class).value());
                if (!once && terminal) {
                    out.print(CLEAR);
                }
                print(services, out);
                out.flush();
                if (once) {
                    return 0;
                }
                try {
                    Thread.sleep(REFRESH_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
                if (!terminal) {
                    out.println();
                }
            }
        }
    }

    /**
     * Whether standard output is a terminal. From JDK 22 {@code System.console()} exists even
     * when output is redirected, and {@code Console.isTerminal()} tells; the code is compiled
     * for 21, where a console exists only on a terminal, so the method is looked up at run time.
     */
    private static boolean terminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // a JDK before 22: a console is a terminal
        }
    }

    /**
     * @param services answers of {@code GET /api/services[/{name}]}
     * @param out      where the table goes
     */
    static void print(List<Views.Service> services, PrintStream out) {
        var t = new Table("NAME", "NODE", "CPU %", "MEM USAGE / LIMIT", "MEM %");
        for (Views.Service s : services) {
            for (Views.Container c : s.containers()) {
                if ("running".equals(c.status())) {
                    t.row(text(c.name()), text(c.nodeId()), c.cpuPercent() == null ? UNKNOWN : percent(c.cpuPercent()),
                            usage(c.memoryBytes(), c.memoryLimitBytes()),
                            memPercent(c.memoryBytes(), c.memoryLimitBytes()));
                }
            }
        }
        t.print(out);
    }

    /** @return e.g. {@code 11.8MiB / 256.0MiB}, with {@code --} for what is not known */
    private static String usage(Long memory, Long limit) {
        return memory == null ? UNKNOWN : bytes(memory) + " / " + (limit == null ? UNKNOWN : bytes(limit));
    }

    private static String memPercent(Long memory, Long limit) {
        return memory != null && limit != null && limit > 0 ? percent(100.0 * memory / limit) : UNKNOWN;
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, "%.2f%%", p);
    }

    /** As docker stats: binary units, one decimal. */
    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + "B" : String.format(Locale.ROOT, "%.1f%s", v, units[u]);
    }
}
