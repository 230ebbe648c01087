package io.github.cloudhsmdr.testkit.emulator;

import software.amazon.awssdk.policybuilder.iam.IamCondition;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamStatement;
import software.amazon.awssdk.policybuilder.iam.IamValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The IAM identity policy the emulator enforces, evaluated the way IAM evaluates one identity-based policy: an
 * explicit {@code Deny} that matches wins, otherwise a matching {@code Allow} allows, otherwise the request is
 * implicitly denied. Denials are answered {@code CloudHsmAccessDeniedException} naming the action and the
 * resource ARN.
 *
 * <p>A statement matches a request when one of its {@code Action} patterns matches the action (IAM wildcards,
 * case-insensitive), one of its {@code Resource} patterns matches the resource ARN ({@code "*"} for actions
 * without a resource type, such as DescribeBackups) and all its conditions hold. Understood condition operators:
 * {@code StringEquals}, {@code StringNotEquals}, {@code StringEqualsIgnoreCase},
 * {@code StringNotEqualsIgnoreCase}, {@code StringLike}, {@code StringNotLike}, each optionally with the
 * {@code ForAllValues:} / {@code ForAnyValue:} qualifier and the {@code IfExists} suffix, and {@code Null}.
 * Understood condition keys: {@code aws:RequestTag/<key>}, {@code aws:ResourceTag/<key>}, {@code aws:TagKeys}
 * (multivalued: it needs a set qualifier) and {@code aws:RequestedRegion}. Anything else ({@code NotAction},
 * {@code NotResource}, {@code Principal}, other operators or keys) is refused when the policy is built, so a
 * policy never reads as more or less than it says. See {@link #fromJson(String)}.
 *
 * <p>The request context the emulator builds for each operation (which action on which ARN, with which tags)
 * follows the AWS Service Authorization Reference for CloudHSM; where that reference is silent the emulator's
 * choice is stated on {@link CloudHsmEmulator}: notably, the {@code cloudhsm:TagResource} check implied by a
 * CopyBackupToRegion with tags is evaluated on the <em>source</em> backup's ARN in the source region.
 *
 * <p>Immutable and thread-safe.
 */
public final class AccessPolicy {
    private static final String PREFIX = "cloudhsm:";
    private static final AccessPolicy ALLOW_ALL = new AccessPolicy(true, List.of());

    /** The outcome of evaluating a request. */
    public enum Decision {
        /** A statement allows the request and none denies it. */
        ALLOW,
        /** No statement allows the request. */
        IMPLICIT_DENY,
        /** A {@code Deny} statement matches the request. */
        EXPLICIT_DENY
    }

    /**
     * The request context of one authorization check.
     *
     * @param action       e.g. {@code cloudhsm:DeleteBackup}
     * @param resource     the resource ARN, or {@code "*"} for an action without a resource type
     * @param region       the region the request is sent to ({@code aws:RequestedRegion}); null when unknown
     * @param resourceTags the tags of the resource acted on ({@code aws:ResourceTag/<key>}); empty for none
     * @param requestTags  the tags the request sets ({@code aws:RequestTag/<key>}); empty for none
     * @param tagKeys      the tag keys in the request ({@code aws:TagKeys}); empty for none
     */
    public record Request(String action, String resource, String region, Map<String, String> resourceTags,
                          Map<String, String> requestTags, Set<String> tagKeys) {
        /**
         * Copies the maps and set; nulls become empty.
         *
         * @param action       the action
         * @param resource     the resource ARN or {@code "*"}
         * @param region       the requested region, or null
         * @param resourceTags the resource's tags
         * @param requestTags  the request's tags
         * @param tagKeys      the request's tag keys
         */
        public Request {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(resource, "resource");
            resourceTags = resourceTags == null ? Map.of() : Map.copyOf(resourceTags);
            requestTags = requestTags == null ? Map.of() : Map.copyOf(requestTags);
            tagKeys = tagKeys == null ? Set.of() : Set.copyOf(tagKeys);
        }

        /**
         * @param action       the action
         * @param resource     the resource ARN or {@code "*"}
         * @param region       the requested region, or null
         * @param resourceTags the resource's tags
         * @return a request for {@code action} on {@code resource} in {@code region} with the resource's tags and
         * no request tags
         */
        public static Request on(String action, String resource, String region, Map<String, String> resourceTags) {
            return new Request(action, resource, region, resourceTags, Map.of(), Set.of());
        }
    }

    private final boolean allowAll;
    private final List<Statement> statements;

    private AccessPolicy(boolean allowAll, List<Statement> statements) {
        this.allowAll = allowAll;
        this.statements = List.copyOf(statements);
    }

    /** @return the policy that allows everything (the emulator's default). */
    public static AccessPolicy allowAll() {
        return ALLOW_ALL;
    }

    /**
     * @param actions the actions, e.g. {@code cloudhsm:DescribeBackups}
     * @return a policy allowing exactly {@code actions} on any resource
     */
    public static AccessPolicy allowing(String... actions) {
        return builder().allow(actions).build();
    }

    /**
     * Reads an IAM identity policy document (JSON) with the AWS SDK's IAM policy reader.
     *
     * @param json the policy document
     * @return the policy
     * @throws IllegalArgumentException when the document uses what the emulator does not understand (see the
     *                                  class description), naming the statement and the element
     */
    public static AccessPolicy fromJson(String json) {
        Objects.requireNonNull(json, "json");
        return of(IamPolicy.fromJson(json));
    }

    /**
     * @param policy an IAM policy built with, or read by, the AWS SDK's IAM policy builder
     * @return the policy
     * @throws IllegalArgumentException when the policy uses what the emulator does not understand
     */
    public static AccessPolicy of(IamPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        Builder b = builder();
        policy.statements().forEach(b::statement);
        return b.build();
    }

    /** @return a builder of a policy that allows nothing yet. */
    public static Builder builder() {
        return new Builder();
    }

    /** @return true for the allow-everything policy. */
    public boolean allowsAll() {
        return allowAll;
    }

    /**
     * @param action e.g. {@code cloudhsm:DeleteBackup}
     * @return true when some {@code Allow} statement names {@code action}, whatever its resources and conditions
     */
    public boolean mentions(String action) {
        return allowAll || statements.stream().anyMatch(s -> !s.deny && s.coversAction(action));
    }

    /**
     * @param request the request context
     * @return the decision of this policy for the request
     */
    public Decision evaluate(Request request) {
        Objects.requireNonNull(request, "request");
        if (allowAll) {
            return Decision.ALLOW;
        }
        boolean allowed = false;
        for (Statement s : statements) {
            if (s.matches(request)) {
                if (s.deny) {
                    return Decision.EXPLICIT_DENY;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    /**
     * @param action       e.g. {@code cloudhsm:DeleteBackup}
     * @param resourceTags the tags of the resource acted on (empty or null for none)
     * @return true when {@code action} is allowed on resource {@code "*"} with these tags and no request tags
     */
    public boolean allows(String action, Map<String, String> resourceTags) {
        return evaluate(Request.on(action, "*", null, resourceTags)) == Decision.ALLOW;
    }

    @Override
    public String toString() {
        return allowAll ? "AccessPolicy[allow all]" : "AccessPolicy" + statements;
    }

    /** Builder of {@link AccessPolicy}; not thread-safe. */
    public static final class Builder {
        private final List<Statement> statements = new ArrayList<>();

        private Builder() {
        }

        /**
         * Allows {@code actions} on every resource; {@code cloudhsm:*} allows every action.
         *
         * @param actions the actions
         * @return this builder
         */
        public Builder allow(String... actions) {
            List<String> list = new ArrayList<>();
            for (String a : actions) {
                list.add(requireAction(a));
            }
            statements.add(new Statement("", false, list, List.of("*"), List.of()));
            return this;
        }

        /**
         * Allows {@code action} on resources whose tag {@code tagKey} equals {@code tagValue}
         * ({@code StringEquals aws:ResourceTag/<tagKey>}). Several such grants of one action are alternatives.
         *
         * @param action   the action
         * @param tagKey   the tag key
         * @param tagValue the value the tag must have
         * @return this builder
         */
        public Builder allowIfResourceTag(String action, String tagKey, String tagValue) {
            Objects.requireNonNull(tagKey, "tagKey");
            Objects.requireNonNull(tagValue, "tagValue");
            statements.add(new Statement("", false, List.of(requireAction(action)), List.of("*"),
                    List.of(Condition.of("StringEquals", "aws:ResourceTag/" + tagKey, List.of(tagValue), ""))));
            return this;
        }

        /**
         * Adds one statement of an IAM policy.
         *
         * @param statement the statement
         * @return this builder
         * @throws IllegalArgumentException when the statement uses what the emulator does not understand
         */
        public Builder statement(IamStatement statement) {
            Objects.requireNonNull(statement, "statement");
            String sid = statement.sid() == null ? "" : statement.sid();
            String where = "statement '" + sid + "'";
            require(statement.principals().isEmpty() && statement.notPrincipals().isEmpty(),
                    where + ": Principal is for resource policies; an identity policy has none");
            require(statement.notActions().isEmpty(), where + ": NotAction is not understood");
            require(statement.notResources().isEmpty(), where + ": NotResource is not understood");
            require(!statement.actions().isEmpty(), where + ": Action must not be empty");
            require(!statement.resources().isEmpty(), where + ": Resource must not be empty");
            boolean deny;
            if (IamEffect.ALLOW.equals(statement.effect())) {
                deny = false;
            } else if (IamEffect.DENY.equals(statement.effect())) {
                deny = true;
            } else {
                throw new IllegalArgumentException(where + ": Effect must be Allow or Deny, was " + statement.effect());
            }
            Map<List<String>, List<String>> grouped = new LinkedHashMap<>();
            for (IamCondition c : statement.conditions()) {
                grouped.computeIfAbsent(List.of(c.operator().value(), c.key().value()), k -> new ArrayList<>())
                        .add(c.value());
            }
            List<Condition> conditions = new ArrayList<>();
            grouped.forEach((k, values) -> conditions.add(Condition.of(k.get(0), k.get(1), values, where)));
            statements.add(new Statement(sid, deny, values(statement.actions()), values(statement.resources()),
                    conditions));
            return this;
        }

        /** @return the policy. */
        public AccessPolicy build() {
            return new AccessPolicy(false, statements);
        }

        private static List<String> values(List<? extends IamValue> values) {
            return values.stream().map(IamValue::value).collect(Collectors.toList());
        }

        private static String requireAction(String action) {
            Objects.requireNonNull(action, "action");
            if (!action.startsWith(PREFIX) || action.length() == PREFIX.length()) {
                throw new IllegalArgumentException("action must be a CloudHSM IAM action such as "
                        + "'cloudhsm:DescribeBackups', was '" + action + "'");
            }
            return action;
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** One statement: effect, action and resource patterns, conditions (all must hold). */
    private static final class Statement {
        final String sid;
        final boolean deny;
        final List<String> actions;
        final List<Pattern> actionPatterns;
        final List<String> resources;
        final List<Pattern> resourcePatterns;
        final List<Condition> conditions;

        Statement(String sid, boolean deny, List<String> actions, List<String> resources, List<Condition> conditions) {
            this.sid = sid;
            this.deny = deny;
            this.actions = List.copyOf(actions);
            this.actionPatterns = actions.stream().map(a -> wildcard(a, true)).collect(Collectors.toList());
            this.resources = List.copyOf(resources);
            this.resourcePatterns = resources.stream().map(r -> wildcard(r, false)).collect(Collectors.toList());
            this.conditions = List.copyOf(conditions);
        }

        boolean coversAction(String action) {
            return actionPatterns.stream().anyMatch(p -> p.matcher(action).matches());
        }

        boolean matches(Request r) {
            return coversAction(r.action())
                    && resourcePatterns.stream().anyMatch(p -> p.matcher(r.resource()).matches())
                    && conditions.stream().allMatch(c -> c.holds(r));
        }

        @Override
        public String toString() {
            return (deny ? "Deny" : "Allow") + (sid.isEmpty() ? "" : "(" + sid + ")") + actions + " on " + resources
                    + (conditions.isEmpty() ? "" : " if " + conditions);
        }
    }

    /** One condition operator on one key with its values (any value may match). */
    private static final class Condition {
        private static final Set<String> BASES = Set.of("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
                "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike", "Null");
        final String operator;
        final String qualifier;
        final String base;
        final boolean ifExists;
        final String key;
        final List<String> values;
        final List<Pattern> likePatterns;

        private Condition(String operator, String qualifier, String base, boolean ifExists, String key,
                          List<String> values) {
            this.operator = operator;
            this.qualifier = qualifier;
            this.base = base;
            this.ifExists = ifExists;
            this.key = key;
            this.values = List.copyOf(values);
            this.likePatterns = values.stream().map(v -> wildcard(v, false)).collect(Collectors.toList());
        }

        static Condition of(String operator, String key, List<String> values, String where) {
            String rest = operator;
            String qualifier = "";
            for (String q : List.of("ForAllValues:", "ForAnyValue:")) {
                if (rest.startsWith(q)) {
                    qualifier = q;
                    rest = rest.substring(q.length());
                }
            }
            boolean ifExists = rest.endsWith("IfExists") && !rest.equals("Null");
            String base = ifExists ? rest.substring(0, rest.length() - "IfExists".length()) : rest;
            require(BASES.contains(base), where + ": condition operator " + operator + " is not understood; "
                    + "understood are " + new java.util.TreeSet<>(BASES) + " with ForAllValues:/ForAnyValue: and IfExists");
            String lower = key.toLowerCase(Locale.ROOT);
            boolean known = lower.startsWith("aws:requesttag/") || lower.startsWith("aws:resourcetag/")
                    || lower.equals("aws:tagkeys") || lower.equals("aws:requestedregion");
            require(known, where + ": condition key " + key + " is not understood; understood are "
                    + "aws:RequestTag/<key>, aws:ResourceTag/<key>, aws:TagKeys and aws:RequestedRegion");
            require(!lower.equals("aws:tagkeys") || !qualifier.isEmpty() || base.equals("Null"), where
                    + ": aws:TagKeys is multivalued: use ForAllValues: or ForAnyValue: with " + operator);
            require(qualifier.isEmpty() || lower.equals("aws:tagkeys"), where + ": " + qualifier
                    + " is for multivalued keys; " + key + " has a single value");
            if (base.equals("Null")) {
                require(values.stream().allMatch(v -> v.equals("true") || v.equals("false")),
                        where + ": Null takes true or false, not " + values);
            }
            return new Condition(operator, qualifier, base, ifExists, key, values);
        }

        List<String> contextValues(Request r) {
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.equals("aws:tagkeys")) {
                return List.copyOf(r.tagKeys());
            }
            if (lower.equals("aws:requestedregion")) {
                return r.region() == null ? List.of() : List.of(r.region());
            }
            String tagKey = key.substring(key.indexOf('/') + 1);
            String v = (lower.startsWith("aws:requesttag/") ? r.requestTags() : r.resourceTags()).get(tagKey);
            return v == null ? List.of() : List.of(v);
        }

        boolean holds(Request r) {
            List<String> present = contextValues(r);
            if (base.equals("Null")) {
                return values.stream().anyMatch(v -> v.equals("true") == present.isEmpty());
            }
            boolean negated = base.contains("Not");
            if (qualifier.equals("ForAllValues:")) {
                return present.stream().allMatch(v -> negated != matchesAny(v));
            }
            if (qualifier.equals("ForAnyValue:")) {
                return present.stream().anyMatch(v -> negated != matchesAny(v));
            }
            if (present.isEmpty()) {
                // IAM: a missing key does not match; a negated operator on a missing key holds
                return ifExists || negated;
            }
            return negated != matchesAny(present.get(0));
        }

        private boolean matchesAny(String v) {
            if (base.contains("Like")) {
                return likePatterns.stream().anyMatch(p -> p.matcher(v).matches());
            }
            if (base.contains("IgnoreCase")) {
                return values.stream().anyMatch(v::equalsIgnoreCase);
            }
            return values.contains(v);
        }

        @Override
        public String toString() {
            return operator + " " + key + " " + values;
        }
    }

    /** The IAM wildcard pattern {@code *} (any run of characters) and {@code ?} (one character) as a regex. */
    static Pattern wildcard(String pattern, boolean ignoreCase) {
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
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    }

    /** @return the tag keys of {@code tags}, for {@link Request#tagKeys()}. */
    static Set<String> keys(Map<String, String> tags) {
        return tags == null ? Set.of() : new LinkedHashSet<>(tags.keySet());
    }
}
