import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Removes from sqlite-jdbc's jar the native libraries of every platform but the image's, in
 * place, through the JDK's zip file system. Run by assemble.sh as a single-file program:
 * {@code java StripNatives.java JAR KEEP} where KEEP is e.g. {@code Linux/x86_64}.
 */
public final class StripNatives {
    private StripNatives() {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        String keep = args[1];
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Path natives = zip.getPath("/org/sqlite/native");
            if (!Files.isDirectory(natives.resolve(keep))) {
                throw new IllegalStateException(jar + " has no native library for " + keep);
            }
            List<Path> doomed;
            try (Stream<Path> all = Files.walk(natives)) {
                doomed = all.filter(p -> !p.equals(natives) && !keepPath(natives, p, keep))
                        .sorted(Comparator.reverseOrder()).toList();
            }
            for (Path p : doomed) {
                Files.delete(p);
            }
        }
    }

    /** Keeps the kept directory, its contents, and its parents. */
    private static boolean keepPath(Path natives, Path p, String keep) {
        String rel = natives.relativize(p).toString();
        return rel.equals(keep) || rel.startsWith(keep + "/") || keep.startsWith(rel + "/");
    }
}
