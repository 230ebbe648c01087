package io.github.cloudhsmdr.it.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cloudhsmdr.testkit.emulator.AccessPolicy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An IAM identity policy document read from JSON, with its placeholders ({@code <ACCOUNT_ID>}, ...) filled in,
 * and turned into the emulator's {@link AccessPolicy}. Only what the project's policies use is understood:
 * {@code Allow} statements with {@code Action} and {@code Resource} (a string or a list) and an optional
 * {@code StringEquals} condition on {@code aws:ResourceTag/<key>}. Anything else fails loudly, so a policy never
 * reads as more (or less) than it says.
 */
final class IamPolicyDocument {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("<[A-Z_]+>");
    private static final String RESOURCE_TAG = "aws:ResourceTag/";

    /**
     * One statement.
     *
     * @param sid          the statement id
     * @param actions      its actions, e.g. {@code cloudhsm:DescribeBackups}
     * @param resources    its resource ARN patterns
     * @param resourceTags the {@code StringEquals aws:ResourceTag/<key>} condition: key to value; empty for none
     */
    record Statement(String sid, List<String> actions, List<String> resources, Map<String, String> resourceTags) {
        Statement {
            actions = List.copyOf(actions);
            resources = List.copyOf(resources);
            resourceTags = Map.copyOf(resourceTags);
        }

        /** @return true when one of the resource patterns matches {@code arn} (IAM wildcards * and ?). */
        boolean coversResource(String arn) {
            return resources.stream().anyMatch(r -> wildcard(r).matcher(arn).matches());
        }
    }

    private final List<Statement> statements;

    private IamPolicyDocument(List<Statement> statements) {
        this.statements = List.copyOf(statements);
    }

    /**
     * Reads a policy file and fills in its placeholders.
     *
     * @throws IllegalArgumentException when a placeholder is left or the document uses what is not understood
     */
    static IamPolicyDocument read(Path file, Map<String, String> placeholders) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the policy " + file.toAbsolutePath(), e);
        }
        for (Map.Entry<String, String> p : placeholders.entrySet()) {
            text = text.replace(p.getKey(), p.getValue());
        }
        Matcher left = PLACEHOLDER.matcher(text);
        if (left.find()) {
            throw new IllegalArgumentException("Policy " + file + " still holds the placeholder " + left.group());
        }
        try {
            return parse(MAPPER.readTree(text), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Policy " + file + " is not valid JSON", e);
        }
    }

    private static IamPolicyDocument parse(JsonNode root, String name) {
        require("2012-10-17".equals(root.path("Version").asText()), name + ": Version must be 2012-10-17");
        JsonNode list = root.path("Statement");
        require(list.isArray() && !list.isEmpty(), name + ": Statement must be a non-empty list");
        List<Statement> statements = new ArrayList<>();
        for (JsonNode s : list) {
            String sid = s.path("Sid").asText("");
            Set<String> keys = new LinkedHashSet<>();
            s.fieldNames().forEachRemaining(keys::add);
            keys.removeAll(Set.of("Sid", "Effect", "Action", "Resource", "Condition"));
            require(keys.isEmpty(), name + " statement " + sid + ": unsupported elements " + keys);
            require("Allow".equals(s.path("Effect").asText()), name + " statement " + sid + ": only Allow is used");
            Map<String, String> tags = new LinkedHashMap<>();
            JsonNode condition = s.path("Condition");
            if (!condition.isMissingNode()) {
                for (Map.Entry<String, JsonNode> op : condition.properties()) {
                    require(op.getKey().equals("StringEquals"), name + " statement " + sid
                            + ": only StringEquals conditions are understood, not " + op.getKey());
                    op.getValue().properties().forEach(c -> {
                        require(c.getKey().startsWith(RESOURCE_TAG) && c.getValue().isTextual(), name + " statement "
                                + sid + ": only a single aws:ResourceTag/<key> value is understood, not " + c);
                        tags.put(c.getKey().substring(RESOURCE_TAG.length()), c.getValue().asText());
                    });
                }
            }
            statements.add(new Statement(sid, strings(s.path("Action"), name, sid), strings(s.path("Resource"), name,
                    sid), tags));
        }
        return new IamPolicyDocument(statements);
    }

    private static List<String> strings(JsonNode node, String name, String sid) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(v -> {
                require(v.isTextual(), name + " statement " + sid + ": expected strings, found " + v);
                values.add(v.asText());
            });
        }
        require(!values.isEmpty(), name + " statement " + sid + ": Action and Resource must not be empty");
        return values;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** @return the statements. */
    List<Statement> statements() {
        return statements;
    }

    /** @return every action, in document order. */
    List<String> actions() {
        return statements.stream().flatMap(s -> s.actions().stream()).distinct().collect(Collectors.toList());
    }

    /** @return the statements that grant {@code action}. */
    List<Statement> statementsFor(String action) {
        return statements.stream().filter(s -> s.actions().contains(action)).collect(Collectors.toList());
    }

    /** @return the same document without {@code action} (statements left without actions are dropped). */
    IamPolicyDocument without(String action) {
        Objects.requireNonNull(action, "action");
        require(actions().contains(action), "the policy does not grant " + action);
        List<Statement> kept = new ArrayList<>();
        for (Statement s : statements) {
            List<String> actions = s.actions().stream().filter(a -> !a.equals(action)).collect(Collectors.toList());
            if (!actions.isEmpty()) {
                kept.add(new Statement(s.sid(), actions, s.resources(), s.resourceTags()));
            }
        }
        return new IamPolicyDocument(kept);
    }

    /**
     * The emulator's access policy for the {@code cloudhsm:} actions of this document (other services' actions
     * have nothing to act on in the emulator). The emulator has one account and does not check resource ARNs;
     * tests check those with {@link Statement#coversResource(String)}.
     */
    AccessPolicy toAccessPolicy() {
        AccessPolicy.Builder b = AccessPolicy.builder();
        for (Statement s : statements) {
            for (String action : s.actions()) {
                if (!action.startsWith("cloudhsm:")) {
                    continue;
                }
                require(!action.contains("*"), "wildcard actions are not least privilege: " + action);
                if (s.resourceTags().isEmpty()) {
                    b.allow(action);
                } else {
                    require(s.resourceTags().size() == 1, "statement " + s.sid()
                            + ": one tag condition per statement is understood");
                    Map.Entry<String, String> tag = s.resourceTags().entrySet().iterator().next();
                    b.allowIfResourceTag(action, tag.getKey(), tag.getValue());
                }
            }
        }
        return b.build();
    }

    /** The IAM wildcard pattern {@code *} (any run of characters) and {@code ?} (one character) as a regex. */
    static Pattern wildcard(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
