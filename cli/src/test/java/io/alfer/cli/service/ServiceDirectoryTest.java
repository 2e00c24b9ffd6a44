package io.alfer.cli.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alfer.cli.stack.StackException;
import io.alfer.cli.stack.StackLayout;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceDirectoryTest {
  @TempDir Path home;

  @Test
  void whatServeWroteIsReadBackAndLocatesEachService() {
    StackLayout layout = new StackLayout(home);
    Map<String, URI> urls = new LinkedHashMap<>();
    urls.put("ingest", URI.create("http://127.0.0.1:8081"));
    urls.put("select", URI.create("http://127.0.0.1:8085"));
    new ServiceDirectory(urls).write(layout);

    assertThat(ServiceDirectory.read(layout)).get().isEqualTo(new ServiceDirectory(urls));
    assertThat(ServiceDirectory.locate("select", layout, name -> null))
        .isEqualTo(URI.create("http://127.0.0.1:8085"));
    assertThat(ServiceDirectory.delete(layout)).isTrue();
    assertThat(ServiceDirectory.read(layout)).isEmpty();
  }

  @Test
  void anEnvironmentVariablePointsAServiceElsewhere() {
    URI uri =
        ServiceDirectory.locate(
            "ingest",
            new StackLayout(home),
            name -> name.equals("ALFER_INGEST_URL") ? " http://10.0.0.5:8081 " : null);

    assertThat(uri).isEqualTo(URI.create("http://10.0.0.5:8081"));
  }

  @Test
  void withoutServeTheErrorSaysHowToStartTheServices() {
    assertThatThrownBy(() -> ServiceDirectory.locate("ingest", new StackLayout(home), n -> null))
        .isInstanceOf(ServiceDirectory.NotServing.class)
        .hasMessageContaining("./alfer serve")
        .hasMessageContaining("ALFER_INGEST_URL");
  }

  @Test
  void aServiceServeDidNotStartIsNamed() {
    StackLayout layout = new StackLayout(home);
    new ServiceDirectory(Map.of("ingest", URI.create("http://127.0.0.1:8081"))).write(layout);

    assertThatThrownBy(() -> ServiceDirectory.locate("console", layout, n -> null))
        .isInstanceOf(ServiceDirectory.NotServing.class)
        .hasMessageContaining("did not start console")
        .hasMessageContaining("ALFER_CONSOLE_URL");
  }

  @Test
  void aMalformedUrlInTheEnvironmentIsRefusedByName() {
    assertThatThrownBy(
            () -> ServiceDirectory.locate("select", new StackLayout(home), n -> "localhost:8085"))
        .isInstanceOf(StackException.class)
        .isNotInstanceOf(ServiceDirectory.NotServing.class)
        .hasMessageContaining("ALFER_SELECT_URL=localhost:8085 is not a URL");
  }

  @Test
  void aFolderIsZippedWithItsRelativePathsAndWithoutHiddenFiles() throws Exception {
    Path folder = home.resolve("faces");
    Files.createDirectories(folder.resolve("train/happy"));
    Files.createDirectories(folder.resolve(".git"));
    Files.write(folder.resolve("train/happy/001.png"), new byte[] {1, 2, 3});
    Files.write(folder.resolve("train/happy/.DS_Store"), new byte[] {9});
    Files.write(folder.resolve(".git/config"), new byte[] {9});
    Path zip = home.resolve("faces.zip");

    var files = FolderZip.files(folder);
    int[] packed = {0};
    FolderZip.write(folder, files, zip, n -> packed[0] = n);

    assertThat(packed[0]).isEqualTo(1);
    try (var archive = new java.util.zip.ZipFile(zip.toFile())) {
      assertThat(archive.stream().map(java.util.zip.ZipEntry::getName).toList())
          .containsExactly("train/happy/001.png");
      assertThat(archive.getInputStream(archive.getEntry("train/happy/001.png")).readAllBytes())
          .containsExactly(1, 2, 3);
    }
  }
}
