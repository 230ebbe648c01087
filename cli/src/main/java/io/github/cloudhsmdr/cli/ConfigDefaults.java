package io.github.cloudhsmdr.cli;

import io.github.cloudhsmdr.settings.Setting;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Option defaults from the environment and from a {@code --config} properties file: an option {@code --look-back}
 * reads {@code CLOUDHSM_DR_LOOK_BACK}, then the key {@code look-back} of the file. The command line wins over
 * both, the environment over the file. {@code --help}, {@code --version} and {@code --config} itself are not read
 * this way.
 */
final class ConfigDefaults implements IDefaultValueProvider {
    /** The environment variable that names a config file when {@code --config} is not given. */
    static final String CONFIG_VARIABLE = Setting.environmentVariableOf("config");

    private static final Set<String> NOT_DEFAULTED = Set.of("help", "version", "config");

    private final Map<String, String> environment;
    private final Properties file;

    private ConfigDefaults(Map<String, String> environment, Properties file) {
        this.environment = environment;
        this.file = file;
    }

    /**
     * @param environment the environment variables
     * @param configFile  the properties file, or {@code null}
     * @param root        the command tree, to check the file's keys
     * @return the provider
     * @throws CommandLine.ParameterException when the file cannot be read or holds a key that is no option
     */
    static ConfigDefaults of(Map<String, String> environment, Path configFile, CommandLine root) {
        Properties p = new Properties();
        if (configFile != null) {
            try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new CommandLine.ParameterException(root, "--config: cannot read '" + configFile + "': "
                        + e.getMessage());
            }
            Set<String> keys = optionKeys(root.getCommandSpec(), new TreeSet<>());
            for (String k : p.stringPropertyNames()) {
                if (!keys.contains(k)) {
                    throw new CommandLine.ParameterException(root, "--config: '" + configFile + "' has the key '"
                            + k + "', which is no option; keys are the long options without --, e.g. "
                            + "source-region=us-east-1");
                }
            }
        }
        return new ConfigDefaults(Map.copyOf(Objects.requireNonNull(environment, "environment")), p);
    }

    private static Set<String> optionKeys(CommandSpec spec, Set<String> into) {
        for (OptionSpec o : spec.options()) {
            into.add(key(o));
        }
        spec.subcommands().values().forEach(c -> optionKeys(c.getCommandSpec(), into));
        return into;
    }

    private static String key(OptionSpec o) {
        return o.longestName().replaceFirst("^-+", "");
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o) || NOT_DEFAULTED.contains(key(o))) {
            return null;
        }
        String key = key(o);
        String v = environment.get(Setting.environmentVariableOf(key));
        if (v == null || v.isBlank()) {
            v = file.getProperty(key);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }
}
