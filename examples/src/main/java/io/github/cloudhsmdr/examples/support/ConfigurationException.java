package io.github.cloudhsmdr.examples.support;

/**
 * A setting of an example program (a command-line option or an environment variable) has a missing or bad
 * value. The message starts with the setting's name as the user wrote it ({@code --look-back},
 * {@code LOOK_BACK}), then names the value and what is allowed.
 */
public final class ConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String setting;

    /**
     * @param setting the option or variable, as the user wrote it
     * @param problem what is wrong and what is allowed
     */
    public ConfigurationException(String setting, String problem) {
        super(setting + ": " + problem);
        this.setting = setting;
    }

    /**
     * @param setting the option or variable, as the user wrote it
     * @param problem what is wrong and what is allowed
     * @param cause   the underlying exception
     */
    public ConfigurationException(String setting, String problem, Throwable cause) {
        super(setting + ": " + problem, cause);
        this.setting = setting;
    }

    /** @return the option or variable whose value is wrong, as the user wrote it. */
    public String setting() {
        return setting;
    }
}
