package io.grokstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** An option's comma-separated whole numbers ({@code 5,7}), refused as a usage error naming the option. */
final class CsvIntegers {
    private CsvIntegers() {
    }

    /** @throws ParameterException when a part is not a whole number */
    static long[] parse(CommandLine command, String csv, String option) {
        String[] parts = csv.split(",");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Long.parseLong(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new ParameterException(command, option + " takes whole numbers separated by commas, got '" + csv + "'");
            }
        }
        return out;
    }
}
