package dev.lifeline.templates.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.samskivert.mustache.Escapers;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;

/** The template files on the classpath, compiled once. A missing variable is an error, never an empty string. */
final class Templates {
    private static final Mustache.Compiler COMPILER = Mustache.compiler()
            .withEscaper(Escapers.NONE)
            .strictSections(false);
    private static final Map<String, Template> CACHE = new ConcurrentHashMap<>();

    private Templates() {
    }

    /** A bastion file's template, by its name under bastion/. */
    static String render(String name, Object model) {
        return renderResource("bastion/" + name, model);
    }

    /** Any template, by its path on the classpath without ".mustache". */
    static String renderResource(String path, Object model) {
        return CACHE.computeIfAbsent(path, Templates::compile).execute(model);
    }

    private static Template compile(String path) {
        String resource = path + ".mustache";
        try (InputStream in = Templates.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("template " + resource + " is missing from the templates jar");
            }
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return COMPILER.compile(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
