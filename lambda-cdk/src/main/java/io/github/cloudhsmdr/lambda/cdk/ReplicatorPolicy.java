package io.github.cloudhsmdr.lambda.cdk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The replicator's IAM policy, read from {@code iam/replicator-policy.json} of the repository (packaged into this
 * jar by the build, so the file stays the one source of truth) with its {@code <PLACEHOLDER>}s filled in. Read
 * generically: any member of any statement may use any placeholder the caller gives a value for; a placeholder
 * with several values (e.g. one per destination region) turns a string into one string per value, and an array
 * that holds it is flattened. An unknown placeholder fails with its name and the known ones.
 */
public final class ReplicatorPolicy {
    /** The policy file's name, in the repository's {@code iam/} directory and beside this class in the jar. */
    public static final String FILE = "replicator-policy.json";

    private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Z][A-Z0-9_]*)>");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplicatorPolicy() {
    }

    /** @return the policy file as read, placeholders untouched */
    public static Map<String, Object> raw() {
        try (InputStream in = ReplicatorPolicy.class.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new IllegalStateException(FILE + " is not on the classpath beside " + ReplicatorPolicy.class);
            }
            return JSON.readValue(in, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    /**
     * @param values the values of each placeholder by name (without angle brackets), e.g. {@code ACCOUNT_ID}
     * @return the policy with every placeholder replaced
     * @throws IllegalStateException when the policy uses a placeholder {@code values} has no value for
     */
    public static Map<String, Object> document(Map<String, List<String>> values) {
        Objects.requireNonNull(values, "values");
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) substitute(raw(), values);
        return doc;
    }

    private static Object substitute(Object node, Map<String, List<String>> values) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                List<String> keys = expand((String) k, values);
                if (keys.size() != 1) {
                    throw new IllegalStateException(FILE + ": key '" + k + "' would become " + keys.size() + " keys");
                }
                Object value = substitute(v, values);
                out.put(keys.get(0), value instanceof List<?> l && !(v instanceof List<?>) && l.size() == 1
                        ? l.get(0) : value);
            });
            return out;
        }
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                Object v = substitute(item, values);
                if (item instanceof String && v instanceof List<?> l) {
                    out.addAll(l);
                } else {
                    out.add(v);
                }
            }
            return out;
        }
        if (node instanceof String s) {
            List<String> expanded = expand(s, values);
            return expanded.size() == 1 ? expanded.get(0) : expanded;
        }
        return node;
    }

    /** @return {@code text} with its placeholders replaced: one string per value of a multi-valued one */
    private static List<String> expand(String text, Map<String, List<String>> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        if (!m.find()) {
            return List.of(text);
        }
        String name = m.group(1);
        List<String> options = values.get(name);
        if (options == null) {
            throw new IllegalStateException(FILE + " uses the placeholder <" + name + "> in '" + text
                    + "': the construct fills in " + values.keySet().stream().map(k -> "<" + k + ">").toList());
        }
        List<String> out = new ArrayList<>();
        for (String option : options) {
            String replaced = text.substring(0, m.start()) + option + text.substring(m.end());
            out.addAll(expand(replaced, values));
        }
        return out;
    }
}
