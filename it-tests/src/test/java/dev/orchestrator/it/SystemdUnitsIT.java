package dev.orchestrator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd units the image ships under {@code systemd/}: valid for systemd (verified offline
 * with {@code systemd-analyze verify}, the install path pointed at this image), their command
 * lines accepted by the launcher, and their environment file naming only real variables.
 */
class SystemdUnitsIT {
    private static final String INSTALL = "/opt/orchestrator";
    private static final Pattern EXEC_START = Pattern.compile("(?m)^ExecStart=(\\S+) (.*)$");

    @TempDir
    Path work;

    private static String unit(String name) throws IOException {
        return Files.readString(Image.home().resolve("systemd").resolve(name));
    }

    @Test
    void systemdAnalyzeVerifiesBothUnits() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze is missing");
        var paths = new ArrayList<String>();
        for (String name : List.of("orchestrator-server.service", "orchestrator-agent.service")) {
            Path copy = work.resolve(name);
            Files.writeString(copy, unit(name).replace(INSTALL, Image.home().toString()));
            paths.add(copy.toString());
        }
        var cmd = new ArrayList<>(List.of("systemd-analyze", "verify"));
        cmd.addAll(paths);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("", out.strip(), "no warnings (unknown keys are only warned about)");
    }

    @Test
    void theirCommandLinesAreAcceptedByTheLauncher() throws IOException {
        for (String kind : List.of("server", "agent")) {
            Matcher m = EXEC_START.matcher(unit("orchestrator-" + kind + ".service"));
            assertTrue(m.find(), kind);
            assertEquals(INSTALL + "/bin/orchestrator", m.group(1));
            var args = new ArrayList<>(Arrays.asList(m.group(2).split(" ")));
            assertEquals(kind, args.getFirst());
            // A bad value last: the error is about it only if every flag before it parsed.
            args.addAll(List.of("--log-level", "bogus"));
            Image.Run r = Image.run(Map.of("ORCHESTRATOR_AGENT_SERVER", "http://10.0.0.1:8080",
                    "ORCHESTRATOR_AGENT_TOKEN", "t"), args.toArray(String[]::new));
            assertEquals(2, r.status(), r.err());
            assertEquals("error: --log-level must be one of error, warn, info, debug, got 'bogus'", r.err().strip());
        }
    }

    @Test
    void theEnvironmentFileNamesOnlyRealVariables() throws IOException {
        String env = unit("orchestrator.env");
        String help = Image.run("server", "--help").out() + Image.run("agent", "--help").out();
        Matcher m = Pattern.compile("(?m)^#?(ORCHESTRATOR_[A-Z_]+)=").matcher(env);
        int found = 0;
        while (m.find()) {
            found++;
            String name = m.group(1);
            assertTrue(name.equals("ORCHESTRATOR_ADMIN_PASSWORD") || help.contains(name), name + " is not a setting");
        }
        assertTrue(found >= 5, env);
    }
}
