package dev.orchestrator.kernel;

/** Where a plugin came from. */
public enum Origin {
    /** Shipped in the image, found in the boot layer (or on the class path). */
    BUILT_IN("built-in"),
    /** A jar or directory in the plugins directory, loaded into its own module layer. */
    DROP_IN("drop-in");

    private final String label;

    Origin(String label) {
        this.label = label;
    }

    /** @return {@code built-in} or {@code drop-in} */
    public String label() {
        return label;
    }
}
