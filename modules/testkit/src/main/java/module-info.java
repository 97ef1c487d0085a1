/**
 * Test helpers for the orchestrator and for third-party plugin authors: {@code PluginJars}
 * builds real plugin jars at test time, {@code ProbeContract} is the JUnit 5 contract every
 * probe plugin must pass, {@code StuckListener} is a loopback server that never answers,
 * {@code ManualClock} a clock the test moves by hand, {@code FakeRuntime} an in-memory container
 * runtime with scripted failures, {@code RuntimeContract} and {@code LoadBalancerContract} the
 * contracts of runtime drivers and load balancers.
 */
module dev.orchestrator.testkit {
    requires transitive dev.orchestrator.api;
    // Transitive: ProbeContract is a JUnit 5 test class, and its public methods carry JUnit
    // annotations, so whoever extends it reads JUnit too.
    requires transitive org.junit.jupiter.api;

    exports dev.orchestrator.testkit;

    // ProbeContract looks probe factories up as the kernel does.
    uses dev.orchestrator.api.spi.ProbeFactory;
}
