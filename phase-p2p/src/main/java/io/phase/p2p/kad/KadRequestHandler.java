package io.phase.p2p.kad;

import io.phase.p2p.kad.routing.KadKey;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.routing.RoutingTable;
import io.phase.p2p.kad.store.InvalidRecordException;
import io.phase.p2p.kad.store.ProviderStore;
import io.phase.p2p.kad.store.RecordStore;
import io.phase.p2p.kad.wire.KadMessage;
import io.phase.p2p.kad.wire.KadMessageException;
import io.phase.p2p.kad.wire.KadRecord;
import io.phase.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of {@code /ipfs/kad/1.0.0} as a function from a decoded request (and its
 * authenticated sender) to the response, reading and updating the routing table and stores.
 *
 * <ul>
 *   <li>FIND_NODE: the {@code k} closest known peers to SHA-256(key), excluding the sender.
 *   <li>GET_PROVIDERS: stored providers (at most {@code providersPerResponse}) plus closer peers.
 *   <li>ADD_PROVIDER: stores only provider entries whose id is the sender's (spec); no response.
 *   <li>GET_VALUE: the stored record, if any, plus closer peers.
 *   <li>PUT_VALUE: validates and stores the record; echoes the request. A record that fails
 *       validation, or loses to the stored one, is refused.
 *   <li>PING: PING.
 * </ul>
 *
 * Refusals throw {@link KadMessageException}; the stream handler resets the stream. Thread-safe.
 */
public final class KadRequestHandler {

  private static final Logger LOG = LoggerFactory.getLogger(KadRequestHandler.class);

  private final PeerId local;
  private final KadConfig config;
  private final RoutingTable table;
  private final ProviderStore providers;
  private final RecordStore records;

  /** Creates a handler over the given state. */
  public KadRequestHandler(
      PeerId local,
      KadConfig config,
      RoutingTable table,
      ProviderStore providers,
      RecordStore records) {
    this.local = Objects.requireNonNull(local, "local");
    this.config = Objects.requireNonNull(config, "config");
    this.table = Objects.requireNonNull(table, "table");
    this.providers = Objects.requireNonNull(providers, "providers");
    this.records = Objects.requireNonNull(records, "records");
  }

  /**
   * Answers one request from {@code sender} (whose id was authenticated by the transport).
   *
   * @return the response, or empty for messages that get none (ADD_PROVIDER)
   * @throws KadMessageException if the request is refused
   */
  public Optional<KadMessage> handle(PeerInfo sender, KadMessage request)
      throws KadMessageException {
    byte[] key = request.key().toByteArray();
    return switch (request.type()) {
      case PING -> Optional.of(KadMessage.ping());
      case FIND_NODE ->
          Optional.of(
              new KadMessage(
                  KadMessage.Type.FIND_NODE, key, null, closer(key, sender.id()), List.of()));
      case GET_PROVIDERS -> {
        requireKey(key);
        yield Optional.of(
            new KadMessage(
                KadMessage.Type.GET_PROVIDERS,
                key,
                null,
                closer(key, sender.id()),
                providers.providers(key, config.providersPerResponse())));
      }
      case ADD_PROVIDER -> {
        requireKey(key);
        addProviders(sender, key, request.providerPeers());
        yield Optional.empty();
      }
      case GET_VALUE -> {
        requireKey(key);
        yield Optional.of(
            new KadMessage(
                KadMessage.Type.GET_VALUE,
                key,
                records.get(key).orElse(null),
                closer(key, sender.id()),
                List.of()));
      }
      case PUT_VALUE -> {
        putValue(sender, key, request.record());
        yield Optional.of(request);
      }
    };
  }

  private static void requireKey(byte[] key) throws KadMessageException {
    if (key.length == 0) {
      throw new KadMessageException("empty key");
    }
  }

  private List<PeerInfo> closer(byte[] key, PeerId requester) {
    List<PeerInfo> out = new ArrayList<>(config.k());
    for (PeerInfo p : table.closest(KadKey.of(key), config.k() + 1)) {
      if (!p.id().equals(requester) && out.size() < config.k()) {
        out.add(p);
      }
    }
    return out;
  }

  private void addProviders(PeerInfo sender, byte[] key, List<PeerInfo> announced) {
    for (PeerInfo p : announced) {
      if (!p.id().equals(sender.id())) {
        LOG.debug(
            "kad_add_provider_ignored sender={} provider={} reason=not_sender",
            sender.id(),
            p.id());
        continue;
      }
      PeerInfo entry = p.addrs().isEmpty() ? sender : p;
      if (!providers.addProvider(key, entry)) {
        LOG.debug("kad_add_provider_refused sender={} reason=store_full", sender.id());
      }
      return; // one record per sender and key, however often it is listed
    }
  }

  private void putValue(PeerInfo sender, byte[] key, KadRecord record) throws KadMessageException {
    if (record == null) {
      throw new KadMessageException("PUT_VALUE without a record");
    }
    if (!Arrays.equals(record.key().unsafeArray(), key)) {
      throw new KadMessageException("PUT_VALUE record key differs from message key");
    }
    try {
      if (records.put(record) == RecordStore.PutResult.KEPT_EXISTING) {
        throw new KadMessageException("PUT_VALUE refused: the stored record is better");
      }
    } catch (InvalidRecordException e) {
      LOG.debug("kad_put_value_refused sender={} reason={}", sender.id(), e.getMessage());
      throw new KadMessageException("PUT_VALUE refused: " + e.getMessage());
    }
  }

  /** The local peer this handler answers for. */
  public PeerId localPeer() {
    return local;
  }
}
