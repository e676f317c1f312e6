package io.grokstream.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code ./grokstream} launcher hands a user command to this client only when its {@code CLI_COMMANDS} names it:
 * a subcommand missing there is "unknown command" at the shell although {@code --help} lists it ({@code intervene} and
 * {@code webhooks} were).
 */
class LauncherCommandsTest {

    @Test
    void theLauncherPassesEverySubcommandOfTheClientAndNoOther() throws Exception {
        Path launcher = Path.of("..", "grokstream");
        Matcher m = Pattern.compile("(?m)^CLI_COMMANDS=\"([^\"]*)\"").matcher(Files.readString(launcher));
        assertTrue(m.find(), "the launcher sets CLI_COMMANDS");
        Set<String> launched = new TreeSet<>(Arrays.asList(m.group(1).trim().split("\\s+")));

        Set<String> subcommands = new TreeSet<>(GrokstreamCli.commandLine(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())).getSubcommands().keySet());
        subcommands.remove("help");   // ./grokstream help is the launcher's own
        assertEquals(subcommands, launched);
    }
}
