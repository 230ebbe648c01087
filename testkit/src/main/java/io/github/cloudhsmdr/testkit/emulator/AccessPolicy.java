package io.github.cloudhsmdr.testkit.emulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An IAM-like allow-list for the emulator: the {@code cloudhsm:*} actions the caller may perform, some of them
 * only on resources carrying a tag ({@code aws:ResourceTag/<key>} equals a value). Anything not allowed is
 * answered {@code CloudHsmAccessDeniedException} naming the action.
 *
 * <p>As AWS documents, CopyBackupToRegion also needs {@code cloudhsm:TagResource} whenever the copy gets tags
 * (given in the request or inherited from the source backup); the emulator evaluates that check, like the
 * copy's own tag condition, against the source backup's tags. A tag condition on an action without a resource
 * (DescribeBackups, DescribeClusters) never matches.
 *
 * <p>Immutable and thread-safe.
 */
public final class AccessPolicy {
    private static final String PREFIX = "cloudhsm:";
    private static final AccessPolicy ALLOW_ALL = new AccessPolicy(true, Set.of(), Map.of());

    private final boolean allowAll;
    private final Set<String> actions;
    private final Map<String, List<Map.Entry<String, String>>> conditions;

    private AccessPolicy(boolean allowAll, Set<String> actions, Map<String, List<Map.Entry<String, String>>> conditions) {
        this.allowAll = allowAll;
        this.actions = actions;
        this.conditions = conditions;
    }

    /** @return the policy that allows everything (the emulator's default). */
    public static AccessPolicy allowAll() {
        return ALLOW_ALL;
    }

    /** @return a policy allowing exactly {@code actions} (e.g. {@code cloudhsm:DescribeBackups}) on any resource. */
    public static AccessPolicy allowing(String... actions) {
        return builder().allow(actions).build();
    }

    /** @return a builder of a policy that allows nothing yet. */
    public static Builder builder() {
        return new Builder();
    }

    /** @return true for the allow-everything policy. */
    public boolean allowsAll() {
        return allowAll;
    }

    /** @return true when some statement names {@code action}, with or without a tag condition. */
    public boolean mentions(String action) {
        return allowAll || actions.contains(action) || actions.contains("cloudhsm:*") || conditions.containsKey(action);
    }

    /** @return true when {@code action} is allowed on any resource, whatever its tags. */
    public boolean allowsUnconditionally(String action) {
        return allowAll || actions.contains(action) || actions.contains("cloudhsm:*");
    }

    /**
     * @param action       e.g. {@code cloudhsm:DeleteBackup}
     * @param resourceTags the tags of the resource acted on (empty for actions without a resource)
     * @return true when {@code action} is allowed on a resource with these tags
     */
    public boolean allows(String action, Map<String, String> resourceTags) {
        if (allowsUnconditionally(action)) {
            return true;
        }
        Map<String, String> tags = resourceTags == null ? Map.of() : resourceTags;
        for (Map.Entry<String, String> c : conditions.getOrDefault(action, List.of())) {
            if (c.getValue().equals(tags.get(c.getKey()))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return allowAll ? "AccessPolicy[allow all]" : "AccessPolicy[actions=" + actions + ", conditions=" + conditions + "]";
    }

    /** Builder of {@link AccessPolicy}; not thread-safe. */
    public static final class Builder {
        private final Set<String> actions = new LinkedHashSet<>();
        private final Map<String, List<Map.Entry<String, String>>> conditions = new LinkedHashMap<>();

        private Builder() {
        }

        /** Allows {@code actions} on every resource; {@code cloudhsm:*} allows every action. */
        public Builder allow(String... actions) {
            for (String a : actions) {
                this.actions.add(requireAction(a));
            }
            return this;
        }

        /**
         * Allows {@code action} on resources whose tag {@code tagKey} equals {@code tagValue}
         * ({@code StringEquals aws:ResourceTag/<tagKey>}). Several conditions on one action are alternatives.
         */
        public Builder allowIfResourceTag(String action, String tagKey, String tagValue) {
            Objects.requireNonNull(tagKey, "tagKey");
            Objects.requireNonNull(tagValue, "tagValue");
            conditions.computeIfAbsent(requireAction(action), a -> new java.util.ArrayList<>())
                    .add(Map.entry(tagKey, tagValue));
            return this;
        }

        /** @return the policy. */
        public AccessPolicy build() {
            Map<String, List<Map.Entry<String, String>>> c = new LinkedHashMap<>();
            conditions.forEach((k, v) -> c.put(k, List.copyOf(v)));
            return new AccessPolicy(false, Collections.unmodifiableSet(new LinkedHashSet<>(actions)),
                    Collections.unmodifiableMap(c));
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
}
