package dev.orchestrator.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line such as {@code curl -fs 'http://localhost/ok'} into an argv, with the
 * quoting a user expects from a shell but no shell: words are separated by whitespace;
 * {@code '...'} keeps everything literally; {@code "..."} too, except that {@code \"} and
 * {@code \\} stand for {@code "} and {@code \}; outside quotes, a backslash keeps the next
 * character literally. No variables, globs or operators: {@code $HOME} and {@code |} are
 * plain characters.
 */
final class ShellWords {
    private ShellWords() {
    }

    /**
     * @param line the command line
     * @return its words; a quoted empty string ({@code ''}) is an empty word
     * @throws CliException for an unterminated quote or a trailing backslash
     */
    static List<String> split(String line) {
        var words = new ArrayList<String>();
        var word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            switch (c) {
                case '\'' -> {
                    int end = line.indexOf('\'', i + 1);
                    if (end < 0) {
                        throw new CliException("unterminated ' in '" + line + "'");
                    }
                    word.append(line, i + 1, end);
                    i = end;
                }
                case '"' -> i = doubleQuoted(line, i, word);
                case '\\' -> {
                    if (i + 1 >= line.length()) {
                        throw new CliException("trailing \\ in '" + line + "'");
                    }
                    word.append(line.charAt(++i));
                }
                default -> word.append(c);
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends the double-quoted text starting at {@code open}; returns the closing quote's index. */
    private static int doubleQuoted(String line, int open, StringBuilder word) {
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                c = line.charAt(++i);
            }
            word.append(c);
        }
        throw new CliException("unterminated \" in '" + line + "'");
    }
}
