package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --health-cmd} splitting. */
class ShellWordsTest {
    @Test
    void whitespaceSeparatesWords() {
        assertEquals(List.of("curl", "-fs", "http://localhost:8080/health"),
                ShellWords.split("  curl   -fs\thttp://localhost:8080/health "));
    }

    @Test
    void singleQuotesKeepEverything() {
        assertEquals(List.of("sh", "-c", "test -f /tmp/ok && echo \"$HOME\" \\n"),
                ShellWords.split("sh -c 'test -f /tmp/ok && echo \"$HOME\" \\n'"));
    }

    @Test
    void doubleQuotesKeepSpacesAndUnescapeQuotes() {
        assertEquals(List.of("echo", "a \"b\" \\ c", "$X"), ShellWords.split("echo \"a \\\"b\\\" \\\\ c\" $X"));
    }

    @Test
    void quotesJoinAdjacentText() {
        assertEquals(List.of("--url=http://x/a b", "it's"), ShellWords.split("--url='http://x/a b' it\\'s"));
    }

    @Test
    void emptyQuotesAreAnEmptyWord() {
        assertEquals(List.of("printf", "", "x"), ShellWords.split("printf '' x"));
        assertEquals(List.of(), ShellWords.split("   "));
    }

    @Test
    void noShellOperators() {
        assertEquals(List.of("a", "|", "b;", "*"), ShellWords.split("a | b; *"));
    }

    @Test
    void unterminatedQuotesAreRefused() {
        assertEquals("unterminated ' in 'sh -c 'x'", assertThrows(CliException.class,
                () -> ShellWords.split("sh -c 'x")).getMessage());
        assertThrows(CliException.class, () -> ShellWords.split("echo \"x"));
        assertThrows(CliException.class, () -> ShellWords.split("echo x\\"));
    }
}
