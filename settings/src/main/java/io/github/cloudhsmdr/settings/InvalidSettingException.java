package io.github.cloudhsmdr.settings;

import java.util.Objects;

/**
 * A setting has a value that is not allowed, or is missing. The message starts with the setting's name as the
 * user gave it ({@code --look-back: } or {@code CLOUDHSM_DR_LOOK_BACK: }), followed by {@link #problem()}, which
 * names the value and says what is allowed.
 */
public final class InvalidSettingException extends IllegalArgumentException {
    /** Serialization version. */
    private static final long serialVersionUID = 1L;

    private final transient Setting setting;
    /** What is wrong, without the setting's name. */
    private final String problem;

    /**
     * @param setting the setting
     * @param naming  how the user gave it
     * @param problem what is wrong and what is allowed, e.g. {@code '30x' is not a duration: ...}
     */
    public InvalidSettingException(Setting setting, Setting.Naming naming, String problem) {
        this(setting, naming, problem, null);
    }

    /**
     * @param setting the setting
     * @param naming  how the user gave it
     * @param problem what is wrong and what is allowed
     * @param cause   the cause, or {@code null}
     */
    public InvalidSettingException(Setting setting, Setting.Naming naming, String problem, Throwable cause) {
        super(naming.nameOf(Objects.requireNonNull(setting, "setting")) + ": " + Objects.requireNonNull(problem,
                "problem"), cause);
        this.setting = setting;
        this.problem = problem;
    }

    /** @return the setting whose value is wrong */
    public Setting setting() {
        return setting;
    }

    /** @return the problem without the setting's name */
    public String problem() {
        return problem;
    }
}
