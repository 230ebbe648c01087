package io.github.cloudhsmdr;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layout is the architecture: core knows no technology, and no other module reaches into the engine.
 * <ul>
 *   <li>core's sources import no AWS SDK, JDBC, Quartz, Jackson, Micrometer, Spring or picocli type, and none of
 *       them is on core's classpath;</li>
 *   <li>only core imports {@code io.github.cloudhsmdr.internal} (the engine is not API);</li>
 *   <li>the public API ({@code io.github.cloudhsmdr}, {@code .spi}, {@code .scheduling}) names no engine type in a
 *       public signature.</li>
 * </ul>
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/io/github/cloudhsmdr");
    private static final List<String> TECHNOLOGY = List.of("software.amazon.", "org.quartz.", "java.sql.",
            "javax.sql.", "com.fasterxml.", "io.micrometer.", "org.springframework.", "picocli.",
            "net.javacrumbs.");

    @Test
    void coreImportsNoTechnology() throws IOException {
        assertTrue(Files.isDirectory(MAIN), "run from the core module: " + MAIN.toAbsolutePath());
        assertEquals(List.of(), javaFiles(MAIN).stream().filter(p -> imports(p, TECHNOLOGY))
                .map(p -> MAIN.relativize(p).toString()).sorted().collect(Collectors.toList()),
                "core may not import " + TECHNOLOGY);
    }

    @Test
    void noTechnologyIsOnCoresClasspath() {
        for (String type : List.of("software.amazon.awssdk.core.SdkClient", "org.quartz.Job",
                "com.fasterxml.jackson.databind.ObjectMapper", "io.micrometer.core.instrument.MeterRegistry")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(type), type + " is on core's classpath");
        }
    }

    @Test
    void onlyCoreImportsTheEngine() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(Files::isDirectory).collect(Collectors.toList())) {
                if (module.getFileName().toString().equals("core")) {
                    continue;
                }
                for (String tree : List.of("src/main/java", "src/test/java")) {
                    Path src = module.resolve(tree);
                    if (Files.isDirectory(src)) {
                        javaFiles(src).stream().filter(p -> imports(p, List.of("io.github.cloudhsmdr.internal")))
                                .forEach(p -> offenders.add(root.relativize(p).toString()));
                    }
                }
            }
        }
        assertEquals(List.of(), offenders, "only core may import io.github.cloudhsmdr.internal");
    }

    @Test
    void publicApiNamesNoEngineType() throws Exception {
        List<String> offenders = new ArrayList<>();
        for (Path p : javaFiles(MAIN)) {
            String rel = MAIN.relativize(p).toString();
            if (rel.startsWith("internal")) {
                continue;
            }
            String name = "io.github.cloudhsmdr." + rel.replace('/', '.').replaceAll("\\.java$", "");
            Class<?> type = Class.forName(name);
            if (!Modifier.isPublic(type.getModifiers())) {
                continue;
            }
            for (Method m : type.getMethods()) {
                List<Class<?>> named = new ArrayList<>(List.of(m.getParameterTypes()));
                named.add(m.getReturnType());
                named.stream().filter(c -> c.getName().startsWith("io.github.cloudhsmdr.internal"))
                        .forEach(c -> offenders.add(name + "." + m.getName() + " names " + c.getName()));
            }
        }
        assertEquals(List.of(), offenders);
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
        }
    }

    private static boolean imports(Path file, List<String> prefixes) {
        try {
            return Files.readAllLines(file).stream().map(String::trim)
                    .filter(l -> l.startsWith("import "))
                    .map(l -> l.substring("import ".length()).replaceFirst("^static ", ""))
                    .anyMatch(l -> prefixes.stream().anyMatch(l::startsWith));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
