package dev.lifeline.supervisor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** `lifeline --help` lists each command with the first line of its description: that line must be a whole sentence. */
class HelpSummariesTest {
    @Test
    void everyCommandsOneLineSummaryIsAWholeSentence() {
        Map<String, String> unfinished = new TreeMap<>();
        new CommandLine(new Lifeline()).getSubcommands().forEach((name, sub) -> {
            // picocli's list shows the header's first line when there is one, else the description's
            var usage = sub.getCommandSpec().usageMessage();
            String[] lines = usage.header().length > 0 ? usage.header() : usage.description();
            String summary = lines.length == 0 ? "" : lines[0].trim();
            if (!summary.matches("[A-Z].*[.!?]")) {
                unfinished.put(name, summary);
            }
        });

        assertThat(unfinished).as("summaries that stop mid-sentence (or are missing)").isEmpty();
    }

    @Test
    void theListInHelpShowsThoseSentencesWhole() {
        CliRun help = CliRun.of("--help");

        assertThat(help.out()).contains("touching no network.").doesNotContain("Install it with:").doesNotContain("primary line,\n");
    }
}
