import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Build step of the distribution (dist/pom.xml, prepare-package), run as a single-file program:
 * {@code java UnsignJars.java JAR...} rewrites each signed jar in place without its signature and without the
 * manifest's per-entry sections, keeping the main section (Multi-Release, Automatic-Module-Name, ...) and every other
 * entry byte for byte.
 *
 * <p>Why: Bouncy Castle's jars are signed, and the manifest of a signed jar lists a digest for every class (bcprov:
 * 5,933 sections). The JDK parses all of them into the heap as soon as anything reads an entry of the jar (a
 * service lookup is enough) and keeps them for the life of the process: about 2–3 MB of the idle server's live heap,
 * and a digest check of every class it loads from the jar. ClassTop uses Bouncy Castle as a library (Argon2, PEM
 * files, certificates), never as a JCA provider, so the signature has no use here.
 */
public final class UnsignJars {
  public static void main(String[] args) throws IOException {
    for (String arg : args) {
      Path jar = Path.of(arg);
      if (!isSigned(jar)) {
        continue;
      }
      Path rewritten = jar.resolveSibling(jar.getFileName() + ".unsigned");
      try (JarFile in = new JarFile(jar.toFile(), false);
          OutputStream file = Files.newOutputStream(rewritten)) {
        Manifest main = new Manifest();
        main.getMainAttributes().putAll(in.getManifest().getMainAttributes());
        try (JarOutputStream out = new JarOutputStream(file, main)) {
          Enumeration<JarEntry> entries = in.entries();
          while (entries.hasMoreElements()) {
            JarEntry entry = entries.nextElement();
            if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME) || isSignatureFile(entry.getName())) {
              continue;
            }
            JarEntry copy = new JarEntry(entry.getName());
            copy.setTime(entry.getTime());
            out.putNextEntry(copy);
            try (InputStream content = in.getInputStream(entry)) {
              content.transferTo(out);
            }
            out.closeEntry();
          }
        }
      }
      Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      System.out.println("unsigned " + jar.getFileName());
    }
  }

  private static boolean isSigned(Path jar) throws IOException {
    try (JarFile in = new JarFile(jar.toFile(), false)) {
      return in.stream().anyMatch(entry -> isSignatureFile(entry.getName()));
    }
  }

  /** META-INF/*.SF, *.RSA, *.DSA, *.EC and SIG-* (the files that make a jar signed), not in subfolders. */
  private static boolean isSignatureFile(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
      return false;
    }
    String file = upper.substring("META-INF/".length());
    return file.endsWith(".SF") || file.endsWith(".RSA") || file.endsWith(".DSA") || file.endsWith(".EC")
        || file.startsWith("SIG-");
  }

  private UnsignJars() {}
}
