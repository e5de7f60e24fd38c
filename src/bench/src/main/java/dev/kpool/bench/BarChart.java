package dev.kpool.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * A grouped bar chart of tasks/s per workload and system on a log scale, drawn with Java2D
 * (headless) so the harness needs no charting library.
 */
final class BarChart {
  private static final List<String> SYSTEMS = List.of("kpool", "mp-pool", "kafka-raw");
  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)
  };
  private static final int GROUP = 90;
  private static final int LEFT = 70;
  private static final int TOP = 40;
  private static final int PLOT_HEIGHT = 300;

  private BarChart() {}

  static void write(Path file, List<Result> medians) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<String> workloads = new ArrayList<>(Report.workloads(medians));
    int width = LEFT + GROUP * workloads.size() + 20;
    int height = TOP + PLOT_HEIGHT + 110;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));

    double max = medians.stream().mapToDouble(Result::tasksPerSecond).max().orElse(10);
    int decades = Math.max(1, (int) Math.ceil(Math.log10(max)));
    g.setColor(Color.BLACK);
    g.drawString("tasks/s (log scale), median of repeats", LEFT, TOP - 20);
    for (int d = 0; d <= decades; d++) {
      int y = y(Math.pow(10, d), decades);
      g.setColor(new Color(0xdddddd));
      g.drawLine(LEFT, y, width - 20, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(d < 3 ? Integer.toString((int) Math.pow(10, d)) : "1e" + d, 10, y + 4);
    }
    int bar = (GROUP - 20) / SYSTEMS.size();
    for (int w = 0; w < workloads.size(); w++) {
      int x0 = LEFT + w * GROUP + 10;
      for (int s = 0; s < SYSTEMS.size(); s++) {
        Optional<Result> r = Report.find(medians, SYSTEMS.get(s), workloads.get(w));
        if (r.isPresent()) {
          int y = y(Math.max(1, r.get().tasksPerSecond()), decades);
          g.setColor(COLORS[s]);
          g.fillRect(x0 + s * bar, y, bar - 2, TOP + PLOT_HEIGHT - y);
        }
      }
      g.setColor(Color.BLACK);
      Graphics2D label = (Graphics2D) g.create();
      label.translate(x0 + 4, TOP + PLOT_HEIGHT + 8);
      label.rotate(Math.PI / 6);
      label.drawString(workloads.get(w), 0, 0);
      label.dispose();
    }
    g.setStroke(new BasicStroke(1));
    g.setColor(Color.BLACK);
    g.drawLine(LEFT, TOP + PLOT_HEIGHT, width - 20, TOP + PLOT_HEIGHT);
    for (int s = 0; s < SYSTEMS.size(); s++) {
      g.setColor(COLORS[s]);
      g.fillRect(LEFT + 250 + s * 90, TOP - 30, 10, 10);
      g.setColor(Color.BLACK);
      g.drawString(SYSTEMS.get(s), LEFT + 264 + s * 90, TOP - 21);
    }
    g.dispose();
    Files.createDirectories(file.toAbsolutePath().getParent());
    ImageIO.write(image, "png", file.toFile());
  }

  private static int y(double value, int decades) {
    return TOP + PLOT_HEIGHT - (int) Math.round(PLOT_HEIGHT * Math.log10(value) / decades);
  }
}
