package dev.orchestrator.cli;

import java.io.PrintStream;
import java.util.List;

/** One sub-command of the launcher. */
interface Command {
    /** @return the word that selects it, e.g. {@code server} */
    String name();

    /** @return other words that select it, e.g. {@code inspect} for {@code service} */
    default List<String> aliases() {
        return List.of();
    }

    /** @return one line for the command list */
    String summary();

    /** @return the full {@code --help} text */
    String help();

    /**
     * Runs the command.
     *
     * @param args the arguments after the command's name
     * @param out  where normal output goes
     * @return the exit status
     * @throws CliException for bad usage
     */
    int run(List<String> args, PrintStream out);
}
