package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --log-level and --log-format: from flag, environment or file, checked like every other setting. */
class LoggingTest {
    @TempDir
    Path dir;

    private Logging.Options server(Map<String, String> env, String... argv) {
        return ServerCommand.plan(List.of(argv), env, dir.resolve("absent.yaml")).log();
    }

    private Logging.Options agent(Map<String, String> env, String... argv) {
        var all = new java.util.ArrayList<>(List.of("--server", "http://10.0.0.1:8080", "--token", "t"));
        all.addAll(List.of(argv));
        return AgentCommand.plan(all, env, dir.resolve("absent.yaml")).log();
    }

    @Test
    void defaultsAreInfoAndText() {
        assertEquals(Logging.Options.DEFAULT, server(Map.of()));
        assertEquals(Logging.Options.DEFAULT, agent(Map.of()));
    }

    @Test
    void flagWinsOverEnvironmentOverFile() throws IOException {
        Path f = Files.writeString(dir.resolve("o.yaml"), "log:\n  level: error\n  format: json\n");
        assertEquals(new Logging.Options(Logging.LogLevel.ERROR, LogFormatter.Style.JSON),
                server(Map.of(), "--config", f.toString()));
        assertEquals(new Logging.Options(Logging.LogLevel.WARN, LogFormatter.Style.JSON),
                server(Map.of("ORCHESTRATOR_LOG_LEVEL", "warn"), "--config", f.toString()));
        assertEquals(new Logging.Options(Logging.LogLevel.DEBUG, LogFormatter.Style.TEXT),
                server(Map.of("ORCHESTRATOR_LOG_LEVEL", "warn"), "--config", f.toString(), "--log-level", "debug",
                        "--log-format", "text"));
        assertEquals(new Logging.Options(Logging.LogLevel.DEBUG, LogFormatter.Style.JSON),
                agent(Map.of("ORCHESTRATOR_LOG_FORMAT", "json"), "--log-level", "debug"));
    }

    @Test
    void badValuesAreRefusedNamingTheirSource() throws IOException {
        assertEquals("--log-level must be one of error, warn, info, debug, got 'loud'",
                assertThrows(CliException.class, () -> server(Map.of(), "--log-level", "loud")).getMessage());
        assertEquals("ORCHESTRATOR_LOG_FORMAT must be text or json, got 'xml'",
                assertThrows(CliException.class, () -> agent(Map.of("ORCHESTRATOR_LOG_FORMAT", "xml"))).getMessage());
        assertEquals("--log-level must be one of error, warn, info, debug, got 'INFO'",
                assertThrows(CliException.class, () -> server(Map.of(), "--log-level", "INFO")).getMessage());
        Path f = Files.writeString(dir.resolve("bad.yaml"), "log:\n  level: trace\n");
        assertEquals(f + ": log.level must be one of error, warn, info, debug, got 'trace'",
                assertThrows(CliException.class, () -> server(Map.of(), "--config", f.toString())).getMessage());
        Path g = Files.writeString(dir.resolve("bad2.yaml"), "log:\n  colour: red\n");
        assertEquals(g + ": unknown key 'log.colour'; known keys of log: log.level, log.format",
                assertThrows(CliException.class, () -> server(Map.of(), "--config", g.toString())).getMessage());
    }

    @Test
    void badValueExitsWithStatus2AndOneLine() {
        for (List<String> command : List.of(List.of("server"),
                List.of("agent", "--server", "http://10.0.0.1:8080", "--token", "t"))) {
            var argv = new java.util.ArrayList<>(command);
            argv.addAll(List.of("--log-format", "yaml"));
            Cli.Result r = Cli.run(Map.of(), "", argv.toArray(String[]::new));
            assertEquals(2, r.status(), command.toString());
            assertEquals("", r.out(), command.toString());
            assertEquals("error: --log-format must be text or json, got 'yaml'\n", r.err(), command.toString());
        }
        Cli.Result r = Cli.run(Map.of(), "", "server", "--log-level");
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void helidonIsQuietAtInfoAndTheSqlTraceStaysOffAtDebug() throws IOException {
        var err = new java.io.ByteArrayOutputStream();
        var stream = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
        Logger helidon = Logger.getLogger("io.helidon.webserver.LoomServer");
        Logger ours = Logger.getLogger("dev.orchestrator.cluster.ReportIntake");
        Logger sql = Logger.getLogger("dev.orchestrator.store.internal.UserMapper.upsert");
        try {
            Logging.configure(Logging.Options.DEFAULT, stream, List.of("pw-1234"));
            assertEquals("true", System.getProperty(Logging.HELIDON_CONFIG_DISABLED));
            assertFalse(helidon.isLoggable(Level.INFO));
            assertTrue(helidon.isLoggable(Level.WARNING));
            assertTrue(ours.isLoggable(Level.INFO));
            assertFalse(ours.isLoggable(Level.FINE));
            ours.info("joined\nwith pw-1234");
            helidon.info("Started all channels");
            assertTrue(err.toString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  cluster:"
                    + " joined\\\\nwith \\*\\*\\*\n"), err.toString());

            Logging.configure(new Logging.Options(Logging.LogLevel.DEBUG, LogFormatter.Style.TEXT), stream, List.of());
            assertTrue(helidon.isLoggable(Level.FINE));
            assertTrue(ours.isLoggable(Level.FINE));
            assertFalse(sql.isLoggable(Level.FINE));

            Logging.configure(new Logging.Options(Logging.LogLevel.ERROR, LogFormatter.Style.JSON), stream, List.of());
            assertFalse(helidon.isLoggable(Level.WARNING));
            assertFalse(ours.isLoggable(Level.WARNING));
            assertTrue(ours.isLoggable(Level.SEVERE));
        } finally {
            LogManager.getLogManager().readConfiguration();
        }
    }

    @Test
    void helpShowsTheFlagsWithTheirKeysAndVariables() {
        for (String command : List.of("server", "agent")) {
            String help = Cli.run(Map.of(), "", command, "--help").out();
            assertTrue(help.contains("[--log-level LEVEL] [--log-format text|json]"), help);
            assertTrue(help.contains(String.format("  %-24s %-24s %s%n", "--log-level", "log.level",
                    "ORCHESTRATOR_LOG_LEVEL")), help);
            assertTrue(help.contains(String.format("  %-24s %-24s %s%n", "--log-format", "log.format",
                    "ORCHESTRATOR_LOG_FORMAT")), help);
        }
    }
}
