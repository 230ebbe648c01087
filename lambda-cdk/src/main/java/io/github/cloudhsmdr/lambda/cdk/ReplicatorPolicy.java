package io.github.cloudhsmdr.lambda.cdk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Token;

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
        return document(values, Map.of(), Map.of());
    }

    /**
     * Like {@link #document(Map)}, and some placeholders stand for a CloudFormation list known only at deploy
     * time (e.g. the destination regions of a template parameter). An array element that is just such a
     * placeholder becomes the list's elements. A string that holds one with more text around it (an ARN) becomes
     * one string per element, built in CloudFormation: {@code Fn::Split} of the prefix, the elements joined by
     * suffix-comma-prefix, and the suffix. CloudFormation takes only a literal as a join's delimiter, so the
     * text around such a placeholder must be literal once filled in: {@code beside} gives the values used there
     * (e.g. {@code *} for {@code ACCOUNT_ID}, whose value is itself known only at deploy time).
     *
     * @param values     the values of the placeholders known now
     * @param listTokens the placeholders whose value is a CloudFormation list token ({@code Fn.split(...)})
     * @param beside     values that replace those of {@code values} in the text around a list placeholder
     * @return the policy with every placeholder replaced
     * @throws IllegalStateException when the policy uses a placeholder without a value, or the text around a
     *                               list placeholder is not literal
     */
    public static Map<String, Object> document(Map<String, List<String>> values,
            Map<String, List<String>> listTokens, Map<String, List<String>> beside) {
        return document(raw(), values, listTokens, beside);
    }

    /** {@link #document(Map, Map, Map)} of a given policy. */
    static Map<String, Object> document(Map<String, Object> policy, Map<String, List<String>> values,
            Map<String, List<String>> listTokens, Map<String, List<String>> beside) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(listTokens, "listTokens");
        Objects.requireNonNull(beside, "beside");
        Map<String, List<String>> around = new LinkedHashMap<>(values);
        around.putAll(beside);
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) substitute(policy, new Values(values, listTokens, around));
        return doc;
    }

    /** The values of the placeholders: known strings, and lists known at deploy time. */
    private record Values(Map<String, List<String>> strings, Map<String, List<String>> listTokens,
            Map<String, List<String>> around) {
        java.util.Set<String> names() {
            java.util.Set<String> names = new java.util.TreeSet<>(strings.keySet());
            names.addAll(listTokens.keySet());
            return names;
        }
    }

    /** A list known only at deploy time, as CDK encodes it. */
    private record ListToken(List<String> list) {
    }

    private static Object substitute(Object node, Values values) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                List<Object> keys = expand((String) k, values);
                if (keys.size() != 1 || !(keys.get(0) instanceof String key)) {
                    throw new IllegalStateException(FILE + ": key '" + k + "' would become several keys");
                }
                out.put(key, substitute(v, values));
            });
            return out;
        }
        if (node instanceof List<?> list) {
            List<Object> parts = new ArrayList<>();
            for (Object item : list) {
                if (item instanceof String s) {
                    parts.addAll(expand(s, values));
                } else {
                    parts.add(substitute(item, values));
                }
            }
            if (parts.stream().noneMatch(ListToken.class::isInstance)) {
                return parts;
            }
            List<String> joined = new ArrayList<>();
            for (Object part : parts) {
                joined.add(part instanceof ListToken t ? Fn.join(",", t.list()) : (String) part);
            }
            return Fn.split(",", Fn.join(",", joined));
        }
        if (node instanceof String s) {
            List<Object> expanded = expand(s, values);
            if (expanded.size() == 1) {
                return expanded.get(0) instanceof ListToken t ? t.list() : expanded.get(0);
            }
            return substitute(expanded.stream().map(e -> e instanceof ListToken t ? t : e).toList(), values);
        }
        return node;
    }

    /**
     * @return {@code text} with its placeholders replaced: one string per value of a multi-valued one, or one
     *         {@link ListToken} for a placeholder whose value is a list known at deploy time
     */
    private static List<Object> expand(String text, Values values) {
        Matcher m = PLACEHOLDER.matcher(text);
        if (!m.find()) {
            return List.of(text);
        }
        String name = m.group(1);
        List<String> tokens = values.listTokens().get(name);
        if (tokens != null) {
            if (m.start() == 0 && m.end() == text.length()) {
                return List.of(new ListToken(tokens));
            }
            Values literal = new Values(values.around(), Map.of(), values.around());
            String prefix = single(text.substring(0, m.start()), literal);
            String suffix = single(text.substring(m.end()), literal);
            if (Token.isUnresolved(prefix) || Token.isUnresolved(suffix)) {
                throw new IllegalStateException(FILE + ": the text around <" + name + "> in '" + text
                        + "' is known only at deploy time, and CloudFormation cannot build one string per element "
                        + "from it; give its placeholders literal values beside deploy-time lists");
            }
            return List.of(new ListToken(Fn.split(",", Fn.join("", List.of(prefix,
                    Fn.join(suffix + "," + prefix, tokens), suffix)))));
        }
        List<String> options = values.strings().get(name);
        if (options == null) {
            throw new IllegalStateException(FILE + " uses the placeholder <" + name + "> in '" + text
                    + "': the construct fills in " + values.names().stream().map(k -> "<" + k + ">").toList());
        }
        List<Object> out = new ArrayList<>();
        for (String option : options) {
            out.addAll(expand(text.substring(0, m.start()) + option + text.substring(m.end()), values));
        }
        return out;
    }

    /** @return {@code text} with its placeholders replaced, which must give one string */
    private static String single(String text, Values values) {
        List<Object> expanded = expand(text, values);
        if (expanded.size() != 1 || !(expanded.get(0) instanceof String s)) {
            throw new IllegalStateException(FILE + ": '" + text + "' holds two multi-valued placeholders");
        }
        return s;
    }
}
