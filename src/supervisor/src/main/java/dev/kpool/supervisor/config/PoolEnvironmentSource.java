package dev.kpool.supervisor.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Worker environment variables of a pool given as environment variables of the supervisor, the
 * way a container is configured: {@code KPOOL_POOLS__<POOL>__ENVIRONMENT__<NAME>=value} becomes
 * {@code kpool.pools."<pool>".environment."<NAME>"}. The standard environment source reads every
 * other key, but it lowercases map keys, and a worker's {@code PYTHONPATH} is not its {@code
 * pythonpath}: this source keeps {@code NAME} as written. {@code POOL} is read as the standard
 * source reads it in the pool's other variables (lowercase, {@code _} for {@code .}), so both land
 * in the same pool.
 *
 * <p>Registered as a service; read once at start. Thread-safe (immutable).
 */
public final class PoolEnvironmentSource implements ConfigSource {
  /** Above the standard environment source (300), whose reading of the same variables is wrong. */
  static final int ORDINAL = 301;

  private static final Pattern VARIABLE =
      Pattern.compile("KPOOL_POOLS__([A-Za-z0-9_]+?)__ENVIRONMENT__(.+)");

  private final Map<String, String> properties;

  public PoolEnvironmentSource() {
    this(System.getenv());
  }

  PoolEnvironmentSource(Map<String, String> environment) {
    Map<String, String> found = new HashMap<>();
    environment.forEach(
        (name, value) -> {
          Matcher m = VARIABLE.matcher(name);
          if (m.matches()) {
            String pool = m.group(1).toLowerCase(Locale.ROOT).replace('_', '.');
            found.put("kpool.pools.\"" + pool + "\".environment.\"" + m.group(2) + "\"", value);
          }
        });
    this.properties = Map.copyOf(found);
  }

  @Override
  public Map<String, String> getProperties() {
    return properties;
  }

  @Override
  public Set<String> getPropertyNames() {
    return properties.keySet();
  }

  @Override
  public String getValue(String propertyName) {
    return properties.get(propertyName);
  }

  @Override
  public String getName() {
    return "kpool pool environment variables";
  }

  @Override
  public int getOrdinal() {
    return ORDINAL;
  }
}
