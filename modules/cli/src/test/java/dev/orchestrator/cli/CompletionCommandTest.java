package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion scripts, as bash runs them: made from the real commands and their --help. */
class CompletionCommandTest {
    @TempDir
    Path dir;

    /** Sources the script and completes {@code line} (the last word is being completed). */
    private String complete(String line) throws IOException, InterruptedException {
        Path script = Files.writeString(dir.resolve("completion.bash"), Cli.run(Map.of(), "", "completion", "bash")
                .out());
        String[] words = line.split(" ", -1);
        var array = new StringBuilder();
        for (String w : words) {
            array.append(" '").append(w).append("'");
        }
        String bash = "source '" + script + "' && complete -p orchestrator && COMP_WORDS=(" + array + ") && COMP_CWORD="
                + (words.length - 1) + "; _orchestrator; echo \"${COMPREPLY[*]}\"";
        Process p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", bash).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals("complete -o default -F _orchestrator orchestrator", lines.getFirst(), out);
        return lines.size() > 1 ? lines.get(1) : "";
    }

    @Test
    void bashCompletesCommandsSubCommandsAndOptions() throws Exception {
        assertEquals("deploy", complete("orchestrator dep"));
        assertEquals("nodes node", complete("orchestrator node"));
        assertEquals("cordon", complete("orchestrator node co"));
        assertEquals("--image", complete("orchestrator deploy --ima"));
        assertEquals("--replicas", complete("orchestrator scale web --rep"));
        assertEquals("--log-level --log-format", complete("orchestrator server --log-"));
        assertEquals("bash", complete("orchestrator completion b"));
        assertEquals("--version", complete("orchestrator --vers"));
        assertEquals("", complete("orchestrator frobnicate --x"));
    }

    @Test
    void everyCommandAndEveryOptionOfItsHelpIsOffered() throws Exception {
        List<Command> commands = Main.commands(new Env(Map.of(), System.in, Cli.CLOCK));
        String first = " " + complete("orchestrator ") + " ";
        for (Command c : commands) {
            assertTrue(first.contains(" " + c.name() + " "), c.name() + " in " + first);
        }
        String deploy = " " + complete("orchestrator deploy -") + " ";
        assertTrue((" " + complete("orchestrator ps -") + " ").contains(" -o "));
        for (String option : List.of("--name", "--image", "--replicas", "--port", "--env", "--url", "--password-stdin",
                "--help")) {
            assertTrue(deploy.contains(" " + option + " "), option + " in " + deploy);
        }
    }

    @Test
    void zshScriptDefinesTheFunctionForEveryCommand() {
        String zsh = Cli.run(Map.of(), "", "completion", "zsh").out();
        assertTrue(zsh.startsWith("#compdef orchestrator\n"), zsh);
        assertTrue(zsh.contains("        node) compadd -- ls cordon uncordon drain "), zsh);
        assertTrue(zsh.endsWith("compdef _orchestrator orchestrator\n"), zsh);
    }

    @Test
    void aMissingOrUnknownShellIsBadUsage() {
        Cli.Result r = Cli.run(Map.of(), "", "completion", "fish");
        assertEquals(2, r.status());
        assertEquals("error: completion: the shell must be bash or zsh, got 'fish'\n", r.err());
        assertEquals(2, Cli.run(Map.of(), "", "completion").status());
    }
}
