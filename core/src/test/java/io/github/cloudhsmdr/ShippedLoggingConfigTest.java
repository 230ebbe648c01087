package io.github.cloudhsmdr;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AWS SDK logs signing material, session tokens included, at DEBUG. Every logging configuration the project
 * ships (slf4j-simple, Logback, Log4j 2, java.util.logging and Spring Boot properties, anywhere in the repository)
 * must keep {@code software.amazon.awssdk} and its sub-loggers at INFO or above, and the README must say why.
 */
class ShippedLoggingConfigTest {
    static final String SDK = "software.amazon.awssdk";
    static final String ROOT = "";
    private static final Set<String> VERBOSE = Set.of("DEBUG", "TRACE", "ALL", "FINE", "FINER", "FINEST", "CONFIG");
    private static final Set<String> SKIPPED_DIRS = Set.of("target", ".git", "node_modules", ".idea");

    @Test
    void noShippedLoggingConfigurationLetsTheAwsSdkLogAtDebug() throws IOException {
        List<Path> configs = loggingConfigs(repositoryRoot());
        assertFalse(configs.isEmpty(), "no logging configuration found under " + repositoryRoot());
        List<String> offences = new ArrayList<>();
        for (Path config : configs) {
            String problem = sdkDebugProblem(levels(config));
            if (problem != null) {
                offences.add(repositoryRoot().relativize(config) + ": " + problem);
            }
        }
        assertEquals(List.of(), offences, "logging configurations that let " + SDK
                + " log signing material (keep it at INFO or above)");
    }

    @Test
    void theCheckCatchesEachWayOfTurningTheSdkToDebug() {
        assertEquals(null, sdkDebugProblem(Map.of(ROOT, "info", SDK, "warn")));
        assertEquals(null, sdkDebugProblem(Map.of(ROOT, "debug", SDK, "info")));
        assertEquals(null, sdkDebugProblem(Map.of(ROOT, "debug", "software.amazon", "warn")));
        assertEquals(null, sdkDebugProblem(Map.of("io.github.cloudhsmdr", "debug")));
        assertTrue(sdkDebugProblem(Map.of(SDK, "DEBUG")).contains(SDK + "=DEBUG"));
        assertTrue(sdkDebugProblem(Map.of(ROOT, "trace")).contains("root"));
        assertTrue(sdkDebugProblem(Map.of(ROOT, "debug", SDK, "info", SDK + ".request", "debug"))
                .contains(SDK + ".request"));
        assertTrue(sdkDebugProblem(Map.of("software", "fine")).contains("software=FINE"));
        assertEquals(null, sdkDebugProblem(Map.of(ROOT, "info", SDK, "info", "software.amazon", "debug")),
                "the closer setting wins");
    }

    @Test
    void everyFormatIsRead() throws Exception {
        assertEquals(Map.of(ROOT, "debug", SDK, "trace"), simpleLogger(
                "org.slf4j.simpleLogger.defaultLogLevel=debug\norg.slf4j.simpleLogger.log." + SDK + "=trace\n"));
        assertEquals(Map.of(ROOT, "FINE", SDK, "FINEST"), julOrSpring(".level=FINE\n" + SDK + ".level=FINEST\n"));
        assertEquals(Map.of(ROOT, "debug", SDK, "debug"), julOrSpring(
                "logging.level.root=debug\nlogging.level." + SDK + "=debug\n"));
        assertEquals(Map.of(ROOT, "DEBUG", SDK, "trace"), xml("<configuration><logger name=\"" + SDK
                + "\" level=\"trace\"/><root level=\"DEBUG\"/></configuration>"));
        assertEquals(Map.of(ROOT, "debug", SDK, "debug"), xml("<Configuration><Loggers><Logger name=\"" + SDK
                + "\" level=\"debug\"/><Root level=\"debug\"/></Loggers></Configuration>"));
    }

    @Test
    void theReadmeWarnsAboutTheSdkDebugLogging() throws IOException {
        String readme = Files.readString(repositoryRoot().resolve("README.md"), StandardCharsets.UTF_8);
        assertTrue(readme.contains(SDK) && readme.toLowerCase(Locale.ROOT).contains("session token"),
                "README.md must warn that " + SDK + " at DEBUG logs signing material and session tokens");
    }

    /**
     * @param levels logger name (ROOT for the root logger) to level, as configured
     * @return why the configuration lets the SDK log at DEBUG, or {@code null} when it does not
     */
    static String sdkDebugProblem(Map<String, String> levels) {
        String effective = null;
        String decidedBy = null;
        for (Map.Entry<String, String> e : levels.entrySet()) {
            String name = e.getKey();
            boolean ancestor = name.isEmpty() || SDK.equals(name) || SDK.startsWith(name + ".");
            if (ancestor && (decidedBy == null || name.length() > decidedBy.length())) {
                decidedBy = name;
                effective = e.getValue();
            }
        }
        if (effective != null && verbose(effective)) {
            return (decidedBy.isEmpty() ? "root" : decidedBy) + "=" + effective.toUpperCase(Locale.ROOT)
                    + " with no override of " + SDK + " at INFO or above";
        }
        for (Map.Entry<String, String> e : levels.entrySet()) {
            if (e.getKey().startsWith(SDK + ".") && verbose(e.getValue())) {
                return e.getKey() + "=" + e.getValue().toUpperCase(Locale.ROOT);
            }
        }
        return null;
    }

    private static boolean verbose(String level) {
        return VERBOSE.contains(level.trim().toUpperCase(Locale.ROOT));
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("core")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static List<Path> loggingConfigs(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(root.relativize(p).toString().split("[/\\\\]"))
                            .noneMatch(SKIPPED_DIRS::contains))
                    .filter(p -> isLoggingConfig(p.getFileName().toString()))
                    .sorted().collect(Collectors.toList());
        }
    }

    private static boolean isLoggingConfig(String name) {
        return name.equals("simplelogger.properties") || name.equals("logging.properties")
                || name.matches("(logback|log4j2?)(-[\\w.-]+)?\\.(xml|properties)")
                || name.matches("application(-[\\w.-]+)?\\.properties");
    }

    static Map<String, String> levels(Path config) throws IOException {
        String name = config.getFileName().toString();
        String text = Files.readString(config, StandardCharsets.UTF_8);
        try {
            if (name.equals("simplelogger.properties")) {
                return simpleLogger(text);
            }
            if (name.endsWith(".xml")) {
                return xml(text);
            }
            return julOrSpring(text);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + config + ": " + e, e);
        }
    }

    static Map<String, String> simpleLogger(String text) throws IOException {
        Map<String, String> levels = new LinkedHashMap<>();
        properties(text).forEach((k, v) -> {
            if (k.equals("org.slf4j.simpleLogger.defaultLogLevel")) {
                levels.put(ROOT, v);
            } else if (k.startsWith("org.slf4j.simpleLogger.log.")) {
                levels.put(k.substring("org.slf4j.simpleLogger.log.".length()), v);
            }
        });
        return levels;
    }

    /** java.util.logging ({@code name.level}, {@code .level}), Log4j 2 and Spring Boot ({@code logging.level.}). */
    static Map<String, String> julOrSpring(String text) throws IOException {
        Map<String, String> levels = new LinkedHashMap<>();
        Map<String, String> props = properties(text);
        props.forEach((k, v) -> {
            if (k.equals(".level") || k.equals("logging.level.root") || k.equals("rootLogger.level")
                    || k.equals("log4j.rootLogger")) {
                levels.put(ROOT, v.split(",")[0].trim());
            } else if (k.startsWith("logging.level.")) {
                levels.put(k.substring("logging.level.".length()), v);
            } else if (k.startsWith("log4j.logger.")) {
                levels.put(k.substring("log4j.logger.".length()), v.split(",")[0].trim());
            } else if (k.startsWith("logger.") && k.endsWith(".level")) {
                String id = k.substring(0, k.length() - ".level".length());
                levels.put(props.getOrDefault(id + ".name", id), v);
            } else if (k.endsWith(".level")) {
                levels.put(k.substring(0, k.length() - ".level".length()), v);
            }
        });
        return levels;
    }

    /** Logback ({@code logger}, {@code root}) and Log4j 2 ({@code Logger}, {@code AsyncLogger}, {@code Root}). */
    static Map<String, String> xml(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element document = factory.newDocumentBuilder()
                .parse(new org.xml.sax.InputSource(new StringReader(text))).getDocumentElement();
        Map<String, String> levels = new LinkedHashMap<>();
        NodeList all = document.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            String tag = e.getTagName().toLowerCase(Locale.ROOT);
            String level = e.getAttribute("level");
            if (level.isEmpty()) {
                continue;
            }
            if (tag.equals("root") || tag.equals("asyncroot")) {
                levels.put(ROOT, level);
            } else if (tag.equals("logger") || tag.equals("asynclogger")) {
                levels.put(e.getAttribute("name"), level);
            }
        }
        return levels;
    }

    private static Map<String, String> properties(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        Map<String, String> map = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            map.put(k.trim(), p.getProperty(k).trim());
        }
        return map;
    }
}
