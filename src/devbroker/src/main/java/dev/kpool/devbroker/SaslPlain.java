package dev.kpool.devbroker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * SASL/PLAIN on the embedded broker's client listener: the users it accepts, its own inter-broker
 * identity, and the client settings that authenticate as one of them. Everything is broker
 * configuration ({@code listener.name.sasl_plaintext.plain.sasl.jaas.config}); no JAAS file is
 * written.
 */
record SaslPlain(Map<String, String> users, String brokerUser, String brokerPassword) {
  static final String LISTENER = "SASL_PLAINTEXT";

  SaslPlain {
    users = Map.copyOf(users);
  }

  /** Users as given, plus a broker identity with a random password for its own connections. */
  static SaslPlain of(Map<String, String> users) {
    return new SaslPlain(users, "kpool-broker", UUID.randomUUID().toString());
  }

  /** Broker settings for a SASL_PLAINTEXT client listener with PLAIN as the only mechanism. */
  Map<String, String> brokerSettings() {
    StringBuilder jaas = new StringBuilder(loginModule(brokerUser, brokerPassword));
    jaas.setLength(jaas.length() - 1); // the options go on before the closing semicolon
    jaas.append(" user_").append(brokerUser).append("=").append(quoted(brokerPassword));
    users.forEach(
        (user, password) ->
            jaas.append(" user_").append(user).append("=").append(quoted(password)));
    jaas.append(';');
    Map<String, String> p = new LinkedHashMap<>();
    p.put("sasl.enabled.mechanisms", "PLAIN");
    p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    p.put("listener.name." + LISTENER.toLowerCase() + ".plain.sasl.jaas.config", jaas.toString());
    return p;
  }

  /** Client settings that authenticate as {@code user} with {@code password}. */
  static Map<String, Object> clientSettings(String user, String password) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("security.protocol", LISTENER);
    p.put("sasl.mechanism", "PLAIN");
    p.put("sasl.jaas.config", loginModule(user, password));
    return p;
  }

  private static String loginModule(String user, String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username="
        + quoted(user)
        + " password="
        + quoted(password)
        + ";";
  }

  private static String quoted(String value) {
    if (value.contains("\"") || value.contains("\\")) {
      throw new IllegalArgumentException(
          "SASL user names and passwords may not contain quotes or backslashes");
    }
    return "\"" + value + "\"";
  }
}
