package io.github.cloudhsmdr.cli;

import io.github.cloudhsmdr.Sleeper;
import org.junit.jupiter.api.Test;
import picocli.AutoComplete;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed bash/zsh completion script is the one picocli generates from the commands. After changing options,
 * regenerate it with {@code mvn -pl cli -am test -Dtest=CompletionScriptTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcli.updateCompletion=true}.
 */
class CompletionScriptTest {
    static final Path SCRIPT = Path.of("src/main/dist/cloudhsm-dr_completion");

    private static String generated() {
        CloudHsmDr root = new CloudHsmDr(new Context(Clock.systemUTC(), Sleeper.SYSTEM, Map.of(), false));
        return AutoComplete.bash(CloudHsmDr.NAME, CloudHsmDr.commandLine(root));
    }

    @Test
    void committedScriptIsUpToDate() throws Exception {
        String expected = generated();
        if (Boolean.getBoolean("cli.updateCompletion")) {
            Files.writeString(SCRIPT, expected, StandardCharsets.UTF_8);
        }
        assertEquals(expected, Files.readString(SCRIPT, StandardCharsets.UTF_8),
                SCRIPT + " is out of date: regenerate it as this test's documentation says");
        assertTrue(expected.contains("replicate") && expected.contains("--destination-regions"));
    }

    @Test
    void theProgramPrintsTheSameScript() {
        StringWriter out = new StringWriter();
        CloudHsmDr root = new CloudHsmDr(new Context(Clock.systemUTC(), Sleeper.SYSTEM, Map.of(), false));
        int code = CloudHsmDr.execute(root, new String[] {"generate-completion"}, new PrintWriter(out),
                new PrintWriter(new StringWriter()));

        assertEquals(ExitCodes.OK, code);
        assertEquals(generated().strip(), out.toString().strip());
    }
}
