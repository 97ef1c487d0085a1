package dev.orchestrator.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code orchestrator completion bash|zsh}: a shell completion script, made at run time from
 * the commands themselves, so it cannot drift from them: the command words (names and
 * aliases), each command's sub-commands (the lower-case words after its name in its usage
 * lines, e.g. {@code node cordon}) and its options (every {@code --flag} and {@code -f} its
 * {@code --help} names). Other words complete as file names.
 */
final class CompletionCommand implements Command {
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*|-[a-z])(?![\\w-])");
    private final Supplier<List<Command>> commands;

    /** @param commands every command of the CLI, this one included */
    CompletionCommand(Supplier<List<Command>> commands) {
        this.commands = commands;
    }

    @Override
    public String name() {
        return "completion";
    }

    @Override
    public String summary() {
        return "Print a shell completion script (bash or zsh)";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator completion bash
                       orchestrator completion zsh

                Prints a completion script for the shell: commands, their sub-commands and options.
                Load it in the current shell, or for every new one:

                  source <(orchestrator completion bash)       # bash; or add this line to ~/.bashrc
                  source <(orchestrator completion zsh)        # zsh, after compinit (~/.zshrc)
                """;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = Args.parse(argv, Set.of(), Set.of());
        if (args.positionals().size() != 1) {
            throw new CliException("completion takes one argument, bash or zsh");
        }
        Map<String, Words> table = table(commands.get());
        switch (args.positionals().getFirst()) {
            case "bash" -> out.print(bash(table));
            case "zsh" -> out.print(zsh(table));
            default -> throw new CliException("completion: the shell must be bash or zsh, got '"
                    + args.positionals().getFirst() + "'");
        }
        return 0;
    }

    /**
     * What follows one command word.
     *
     * @param subcommands its second words
     * @param options     its options
     */
    record Words(List<String> subcommands, List<String> options) {
        String all() {
            var l = new ArrayList<>(subcommands);
            l.addAll(options);
            return String.join(" ", l);
        }
    }

    /** @return every command word (name and aliases) with what follows it, in the commands' order */
    static Map<String, Words> table(List<Command> commands) {
        var table = new LinkedHashMap<String, Words>();
        for (Command c : commands) {
            String help = c.help();
            var subs = new LinkedHashSet<String>();
            Matcher usage = Pattern.compile("orchestrator " + Pattern.quote(c.name()) + " \\[?([a-z][a-z-]*)\\]?(?=[ \\n])")
                    .matcher(help);
            while (usage.find()) {
                subs.add(usage.group(1));
            }
            var options = new LinkedHashSet<String>();
            Matcher m = OPTION.matcher(help);
            while (m.find()) {
                options.add(m.group(1));
            }
            options.add("--help");
            var words = new Words(List.copyOf(subs), List.copyOf(options));
            table.put(c.name(), words);
            c.aliases().forEach(a -> table.put(a, words));
        }
        return table;
    }

    static String bash(Map<String, Words> table) {
        var sb = new StringBuilder("""
                # orchestrator completion for bash: source <(orchestrator completion bash)
                _orchestrator() {
                    local cur=${COMP_WORDS[COMP_CWORD]} words=""
                    if [[ $COMP_CWORD -eq 1 ]]; then
                        words="%s --help --version"
                    else
                        case ${COMP_WORDS[1]} in
                """.formatted(String.join(" ", table.keySet())));
        table.forEach((word, w) -> sb.append("            ").append(word).append(") words=\"").append(w.all())
                .append("\" ;;\n"));
        sb.append("""
                        esac
                    fi
                    COMPREPLY=($(compgen -W "$words" -- "$cur"))
                }
                complete -o default -F _orchestrator orchestrator
                """);
        return sb.toString();
    }

    static String zsh(Map<String, Words> table) {
        var sb = new StringBuilder("""
                #compdef orchestrator
                # orchestrator completion for zsh: source <(orchestrator completion zsh), after compinit
                _orchestrator() {
                    if (( CURRENT == 2 )); then
                        compadd -- %s --help --version
                        return
                    fi
                    case ${words[2]} in
                """.formatted(String.join(" ", table.keySet())));
        table.forEach((word, w) -> sb.append("        ").append(word).append(") compadd -- ").append(w.all())
                .append(" ;;\n"));
        sb.append("""
                    esac
                    _files
                }
                compdef _orchestrator orchestrator
                """);
        return sb.toString();
    }
}
