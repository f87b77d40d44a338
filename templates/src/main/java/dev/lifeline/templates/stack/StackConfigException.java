package dev.lifeline.templates.stack;

import java.util.List;

/** All that is wrong with a stack's config, one line per problem, each naming the key and the fix. */
public class StackConfigException extends RuntimeException {
    private final List<String> problems;

    public StackConfigException(String stack, List<String> problems) {
        super("stack '" + stack + "' has " + problems.size() + " config problem" + (problems.size() == 1 ? "" : "s")
                + " (nothing was created):\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
