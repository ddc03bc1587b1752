package dev.shortrun.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads YAML into {@link SpecNode}s. Only SnakeYAML's composer runs (no objects are ever constructed from the
 * YAML), global tags are refused by SnakeYAML's default tag inspector, and any other explicit tag is refused here:
 * a spec is plain data.
 */
final class YamlReader {
    private static final Resolver RESOLVER = new Resolver();
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private YamlReader() {
    }

    /** The whole file; an empty file gives an empty mapping. */
    static SpecNode.Mapping readFile(Path file) {
        String text;
        try {
            long size = Files.size(file);
            if (size > SpecLimits.MAX_SPEC_BYTES) {
                throw new SpecException(new Where(file.toString(), 1, file.toAbsolutePath().getParent()), "",
                        "the file has " + size + " bytes; a spec may have at most " + SpecLimits.MAX_SPEC_BYTES
                                + " (is it a spec?)");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SpecException(new Where(file.toString(), 1, file.toAbsolutePath().getParent()), "",
                    "cannot read the file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        SpecNode root = read(text, Where.inFile(file, 1));
        if (root instanceof SpecNode.Mapping map) {
            return map;
        }
        if (root instanceof SpecNode.Scalar s && s.isNull()) {
            return new SpecNode.Mapping(Map.of(), root.where());
        }
        // the value is not shown: a file that is not a spec (say `base: /etc/shadow`) must not be echoed
        throw new SpecException(root.where(), "", "expected a mapping of settings (key: value lines), found "
                + (root instanceof SpecNode.Scalar ? "text (not shown: is this a spec file?)" : root.shown()));
    }

    /**
     * Parses {@code text} (a file, or one {@code --set} value). Lines are taken from the text when {@code origin}
     * is a file, else every node gets {@code origin}.
     */
    static SpecNode read(String text, Where origin) {
        if (text.length() > SpecLimits.MAX_SPEC_BYTES) {
            throw new SpecException(origin, "", "the value has " + text.length() + " characters; at most "
                    + SpecLimits.MAX_SPEC_BYTES + " are read");
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(SpecLimits.MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(SpecLimits.MAX_DEPTH);
        options.setCodePointLimit(SpecLimits.MAX_SPEC_BYTES);
        Node node;
        try {
            node = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Where at = at(origin, e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark());
            throw new SpecException(at, "", syntaxProblem(e));
        } catch (YAMLException e) {
            throw new SpecException(origin, "", "YAML error: " + e.getMessage());
        }
        if (node == null) {
            return new SpecNode.Scalar("", true, origin);
        }
        return convert(node, origin, "", new Budget(), 0);
    }

    /**
     * What a spec may still expand to while it is converted: YAML aliases copy whole subtrees, so a small file can
     * stand for billions of values (an alias bomb) or for itself (a recursive alias); both stop at the limit.
     */
    private static final class Budget {
        private int values;

        void take(Where where, String path, int depth) {
            if (++values > SpecLimits.MAX_VALUES) {
                throw new SpecException(where, path, "the spec expands to more than " + SpecLimits.MAX_VALUES
                        + " values (YAML aliases repeating a large part?); that is more than any spec needs");
            }
            if (depth > SpecLimits.MAX_DEPTH) {
                throw new SpecException(where, path, "values nest more than " + SpecLimits.MAX_DEPTH + " levels deep"
                        + " (a YAML alias that contains itself?)");
            }
        }
    }

    private static String syntaxProblem(MarkedYAMLException e) {
        // getMessage() would quote the offending line; getProblem() says what is wrong without it
        String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
        if (problem.startsWith("Global tag is not allowed")) {
            return "explicit YAML tags are not allowed (found " + problem.substring(problem.indexOf(':') + 1).trim()
                    + "); a spec holds plain values only";
        }
        String context = "";
        if (e.getContext() != null) {
            Mark start = e.getContextMark();
            boolean elsewhere = start != null && e.getProblemMark() != null
                    && start.getLine() != e.getProblemMark().getLine();
            context = " (" + e.getContext() + (elsewhere ? " started on line " + (start.getLine() + 1) : "") + ")";
        }
        return "YAML syntax error: " + problem + context;
    }

    private static SpecNode convert(Node node, Where origin, String path, Budget budget, int depth) {
        Where where = at(origin, node.getStartMark());
        budget.take(where, path, depth);
        rejectExplicitTag(node, where, path);
        if (node instanceof ScalarNode scalar) {
            return new SpecNode.Scalar(scalar.getValue(), scalar.getTag().equals(Tag.NULL), where);
        }
        if (node instanceof SequenceNode seq) {
            List<SpecNode> items = new ArrayList<>();
            for (Node item : seq.getValue()) {
                items.add(convert(item, origin, path, budget, depth + 1));
            }
            return new SpecNode.Sequence(List.copyOf(items), where);
        }
        MappingNode mapping = (MappingNode) node;
        Map<String, SpecNode.Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Where keyWhere = at(origin, tuple.getKeyNode().getStartMark());
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                throw new SpecException(keyWhere, path, "keys must be plain names, found a "
                        + (tuple.getKeyNode().getNodeId() == NodeId.sequence ? "list" : "mapping") + " as a key");
            }
            String key = keyNode.getValue();
            if (!origin.isOverride() && !SETTING_NAME.matcher(key).matches()) {
                // not shown either: settings are plain names, so this file is not a spec
                throw new SpecException(keyWhere, path, "a key that is not a setting name (letters, digits, '_', "
                        + "'.', '-'): is this a spec file?");
            }
            String keyPath = path.isEmpty() ? key : path + "." + key;
            SpecNode.Entry first = entries.get(key);
            if (first != null) {
                throw new SpecException(keyWhere, keyPath, "duplicate key (first set on line "
                        + first.where().line() + ")");
            }
            entries.put(key, new SpecNode.Entry(key, keyWhere, convert(tuple.getValueNode(), origin, keyPath, budget,
                    depth + 1)));
        }
        return new SpecNode.Mapping(entries, where);
    }

    /** A tag other than the one YAML would infer on its own (e.g. {@code !!str}, {@code !local}) is an error. */
    private static void rejectExplicitTag(Node node, Where where, String path) {
        Tag implied = switch (node.getNodeId()) {
            case scalar -> RESOLVER.resolve(NodeId.scalar, ((ScalarNode) node).getValue(),
                    ((ScalarNode) node).isPlain());
            case sequence -> Tag.SEQ;
            default -> Tag.MAP;
        };
        if (!node.getTag().equals(implied)) {
            throw new SpecException(where, path, "explicit YAML tags are not allowed (found "
                    + node.getTag().getValue() + "); a spec holds plain values only");
        }
    }

    private static Where at(Where origin, Mark mark) {
        if (origin.isOverride() || mark == null) {
            return origin;
        }
        return new Where(origin.source(), mark.getLine() + 1, origin.baseDir());
    }
}
