package io.github.cloudhsmdr.examples.support;

import io.github.cloudhsmdr.settings.Durations;
import io.github.cloudhsmdr.settings.Endpoints;
import io.github.cloudhsmdr.settings.InvalidSettingException;
import io.github.cloudhsmdr.settings.ReplicatorSettings;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Raw settings of an example program by logical key ({@code source-region}, {@code look-back}, …), read from
 * command-line options or environment variables, with typed readers whose errors name the setting the way
 * the user wrote it ({@code --source-region} or {@code SOURCE_REGION}). Blank values count as absent.
 * Immutable and thread-safe.
 */
public final class Settings {
    private final Map<String, String> values;
    private final Function<String, String> nameOf;

    private Settings(Map<String, String> values, Function<String, String> nameOf) {
        this.values = Map.copyOf(values);
        this.nameOf = nameOf;
    }

    /**
     * @param values values by logical key
     * @param nameOf how the user names the setting of a logical key, e.g. {@code k -> "--" + k}
     * @return the settings
     */
    public static Settings of(Map<String, String> values, Function<String, String> nameOf) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(nameOf, "nameOf");
        Map<String, String> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "values key"),
                Objects.requireNonNull(v, "values value for " + k)));
        return new Settings(copy, nameOf);
    }

    /** @return settings named like command-line options: key {@code look-back} is {@code --look-back}. */
    public static Settings ofOptions(Map<String, String> values) {
        return of(values, k -> "--" + k);
    }

    /**
     * Reads the replicator settings every host shares with {@link ReplicatorSettings#fromOptions(Map)}: the
     * CLI's names, defaults, parsing and messages.
     *
     * @return the replicator settings
     * @throws ConfigurationException naming the setting that is missing or wrong
     */
    public ReplicatorSettings replicatorSettings() {
        try {
            return ReplicatorSettings.fromOptions(values);
        } catch (InvalidSettingException e) {
            throw new ConfigurationException(nameOf(e.setting().key()), e.problem(), e);
        }
    }

    /** @return the setting's name as the user writes it. */
    public String nameOf(String key) {
        return nameOf.apply(key);
    }

    /** @return an exception naming the setting of {@code key}. */
    public ConfigurationException invalid(String key, String problem) {
        return new ConfigurationException(nameOf(key), problem);
    }

    /** @return the trimmed value, or empty when absent or blank. */
    public Optional<String> optional(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** @return true when the setting has a value. */
    public boolean has(String key) {
        return optional(key).isPresent();
    }

    /**
     * @return the duration, or empty when absent
     * @throws ConfigurationException when the value is not a duration ({@link Durations#parse})
     */
    public Optional<Duration> duration(String key) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Durations.parse(v.get()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(nameOf(key), e.getMessage(), e);
        }
    }

    /**
     * @return the duration, or empty when absent
     * @throws ConfigurationException when the value is not a duration or is zero
     */
    public Optional<Duration> positiveDuration(String key) {
        Optional<Duration> d = duration(key);
        if (d.isPresent() && d.get().isZero()) {
            throw invalid(key, "'" + optional(key).orElseThrow() + "' is zero: give a positive duration such as 30m");
        }
        return d;
    }

    /**
     * @return the boolean, or {@code defaultValue} when absent
     * @throws ConfigurationException when the value is neither {@code true} nor {@code false}
     */
    public boolean bool(String key, boolean defaultValue) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        if (v.get().equalsIgnoreCase("true")) {
            return true;
        }
        if (v.get().equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid(key, "'" + v.get() + "' is not a boolean: use true or false");
    }

    /**
     * @return the http(s) URL, or empty when absent
     * @throws ConfigurationException when the value is not an absolute http or https URL with a host
     */
    public Optional<URI> url(String key) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Endpoints.parse(v.get()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(nameOf(key), e.getMessage(), e);
        }
    }
}
