package dev.lifeline.supervisor.config;

import java.io.StringReader;
import java.util.List;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Finds the line a key path such as {@code tunnels[0].remote} stands on, so errors point at it. */
public final class YamlLines {
    private YamlLines() {
    }

    /** 1-based line of the path's last element, or of the deepest part of it that exists; 0 if unknown. */
    public static int lineOf(String yaml, List<Object> path) {
        try {
            Node node = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
            int line = 0;
            for (Object step : path) {
                if (node instanceof MappingNode map && step instanceof String key) {
                    Node next = null;
                    for (NodeTuple t : map.getValue()) {
                        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                            line = t.getKeyNode().getStartMark().getLine() + 1;
                            next = t.getValueNode();
                        }
                    }
                    if (next == null) {
                        return line;
                    }
                    node = next;
                } else if (node instanceof SequenceNode seq && step instanceof Integer i && i < seq.getValue().size()) {
                    node = seq.getValue().get(i);
                    line = node.getStartMark().getLine() + 1;
                } else {
                    return line;
                }
            }
            return line;
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
