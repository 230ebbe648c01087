package io.github.cloudhsmdr.cli;

import io.github.cloudhsmdr.Selection;
import io.github.cloudhsmdr.settings.InvalidSettingException;
import io.github.cloudhsmdr.settings.ReplicatorSettings;
import io.github.cloudhsmdr.settings.Setting;
import io.github.cloudhsmdr.settings.Endpoints;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * picocli converters for the option types, on the shared parsers of {@link ReplicatorSettings} so the CLI and the
 * environment-variable hosts accept the same values with the same messages. picocli puts the option's name before
 * the message: {@code Invalid value for option '--look-back': '0' is zero: ...}.
 */
final class Converters {
    private Converters() {
    }

    /** A parser of {@link ReplicatorSettings}. */
    @FunctionalInterface
    private interface Parser<T> {
        T parse(Setting setting, Setting.Naming naming, String value);
    }

    /** Turns a settings parser into a converter; the message is the parser's problem text. */
    private abstract static class Parsing<T> implements ITypeConverter<T> {
        private final Setting setting;
        private final Parser<T> parser;

        Parsing(Setting setting, Parser<T> parser) {
            this.setting = setting;
            this.parser = parser;
        }

        @Override
        public T convert(String value) {
            try {
                return parser.parse(setting, Setting.Naming.OPTION, value);
            } catch (InvalidSettingException e) {
                throw new TypeConversionException(e.problem());
            }
        }
    }

    /** A duration: {@code 14d}, {@code 36h}, {@code 1h30m}, {@code 0} or ISO-8601. */
    static final class DurationConverter extends Parsing<Duration> {
        DurationConverter() {
            super(ReplicatorSettings.WAIT_FOR_READY, ReplicatorSettings::parseDuration);
        }
    }

    /** A duration that is not zero. */
    static final class PositiveDurationConverter extends Parsing<Duration> {
        PositiveDurationConverter() {
            super(ReplicatorSettings.RPO_WARN, ReplicatorSettings::parsePositiveDuration);
        }
    }

    /** A positive duration or {@code latest}. */
    static final class SelectionConverter extends Parsing<Selection> {
        SelectionConverter() {
            super(ReplicatorSettings.LOOK_BACK, ReplicatorSettings::parseSelection);
        }
    }

    /** A region the AWS SDK knows. */
    static final class RegionConverter extends Parsing<String> {
        RegionConverter() {
            super(ReplicatorSettings.SOURCE_REGION, ReplicatorSettings::parseRegion);
        }
    }

    /** A count of at least 0, or {@code unlimited}. */
    static final class CountConverter extends Parsing<Integer> {
        CountConverter() {
            super(ReplicatorSettings.KEEP_LAST, ReplicatorSettings::parseCount);
        }
    }

    /** A limit of {@code --max-concurrent-destinations}: a whole number; its range is checked with the settings. */
    static final class DestinationsLimitConverter extends Parsing<Integer> {
        DestinationsLimitConverter() {
            super(ReplicatorSettings.MAX_CONCURRENT_DESTINATIONS, ReplicatorSettings::parseLimit);
        }
    }

    /** A limit of {@code --max-concurrent-calls-per-region}: a whole number; its range is checked with the settings. */
    static final class CallsPerRegionLimitConverter extends Parsing<Integer> {
        CallsPerRegionLimitConverter() {
            super(ReplicatorSettings.MAX_CONCURRENT_CALLS_PER_REGION, ReplicatorSettings::parseLimit);
        }
    }

    /** A subnet id, {@code subnet-} and 8 to 17 hexadecimal digits. */
    static final class SubnetConverter implements ITypeConverter<String> {
        private static final Pattern SUBNET = Pattern.compile("subnet-[0-9a-f]{8,17}");

        @Override
        public String convert(String value) {
            String v = value.trim();
            if (!SUBNET.matcher(v).matches()) {
                throw new TypeConversionException("'" + value + "' is not a subnet id: expected subnet- followed by "
                        + "8 to 17 of [0-9a-f], e.g. subnet-0a1b2c3d");
            }
            return v;
        }
    }

    /** An absolute http(s) URL with a host. */
    static final class EndpointConverter implements ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            try {
                return Endpoints.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
