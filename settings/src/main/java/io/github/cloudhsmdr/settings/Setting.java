package io.github.cloudhsmdr.settings;

import java.util.Locale;
import java.util.Objects;

/**
 * One setting of a cloudhsm-dr program: its key, the command-line option and the environment variable it is read
 * from, what it means and its default. The CLI, the Lambda handler and any other host use the same names, so a
 * team can move a configuration between them unchanged.
 *
 * @param key          the key, e.g. {@code look-back}; also the key in a {@code --config} properties file
 * @param description  what the setting means, for help texts and documentation
 * @param defaultText  the default as a user would write it, or {@code null} when the setting is required or has
 *                     no default (its absence has a meaning, stated in the description)
 */
public record Setting(String key, String description, String defaultText) {
    /** Prefix of every environment variable. */
    public static final String ENV_PREFIX = "CLOUDHSM_DR_";

    /**
     * @param key         the key, lower case words separated by {@code -}
     * @param description what the setting means
     * @param defaultText the default, or {@code null}
     */
    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(description, "description");
        if (!key.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("key '" + key + "' is not allowed: use lower-case words joined by -");
        }
    }

    /** @return the command-line option, e.g. {@code --look-back} */
    public String option() {
        return "--" + key;
    }

    /** @return the environment variable, e.g. {@code CLOUDHSM_DR_LOOK_BACK} */
    public String environmentVariable() {
        return environmentVariableOf(key);
    }

    /**
     * @param key a setting's key or an option's name without {@code --}
     * @return its environment variable: {@code CLOUDHSM_DR_} and the key in upper case with {@code _} for {@code -}
     */
    public static String environmentVariableOf(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** How errors name a setting: the way the user gave it. */
    public enum Naming {
        /** As a command-line option, {@code --look-back}. */
        OPTION,
        /** As an environment variable, {@code CLOUDHSM_DR_LOOK_BACK}. */
        ENVIRONMENT;

        /**
         * @param setting the setting
         * @return its name in this naming
         */
        public String nameOf(Setting setting) {
            return this == OPTION ? setting.option() : setting.environmentVariable();
        }
    }
}
