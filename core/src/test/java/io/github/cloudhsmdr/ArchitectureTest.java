package io.github.cloudhsmdr;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fails the build when code outside {@code io.github.cloudhsmdr.aws} imports AWS SDK or Quartz types. */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/io/github/cloudhsmdr");

    @Test
    void onlyTheAwsPackageImportsSdkOrQuartzTypes() throws IOException {
        assertTrue(Files.isDirectory(MAIN), "run from the core module: " + MAIN.toAbsolutePath());
        List<String> offenders;
        try (Stream<Path> files = Files.walk(MAIN)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !MAIN.relativize(p).startsWith("aws"))
                    .filter(ArchitectureTest::importsForbidden)
                    .map(p -> MAIN.relativize(p).toString())
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertEquals(List.of(), offenders, "only io.github.cloudhsmdr.aws may import software.amazon.* or org.quartz.*");
    }

    private static boolean importsForbidden(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::trim)
                    .anyMatch(l -> l.startsWith("import software.amazon.") || l.startsWith("import org.quartz.")
                            || l.startsWith("import static software.amazon."));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
