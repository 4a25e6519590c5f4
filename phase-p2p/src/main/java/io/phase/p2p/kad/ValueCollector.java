package io.phase.p2p.kad;

import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.store.InvalidRecordException;
import io.phase.p2p.kad.store.RecordValidator;
import io.phase.p2p.kad.wire.KadMessage;
import io.phase.p2p.kad.wire.KadRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects GET_VALUE answers: records whose key matches and that the validator accepts count
 * towards {@code quorum}; the best is kept via {@link RecordValidator#select}, and peers that
 * returned a worse value are remembered for correction. Not thread-safe (the lookup serialises
 * calls).
 */
final class ValueCollector implements Lookup.Collector {

  private final byte[] key;
  private final RecordValidator validator;
  private final int quorum;
  private final List<PeerInfo> bestHolders = new ArrayList<>();
  private final List<PeerInfo> outdated = new ArrayList<>();
  private KadRecord best;
  private int count;

  ValueCollector(byte[] key, RecordValidator validator, int quorum, KadRecord local) {
    this.key = key.clone();
    this.validator = validator;
    this.quorum = quorum;
    if (local != null) {
      best = local;
      count = 1;
    }
  }

  @Override
  public boolean onResponse(PeerInfo from, KadMessage response, int hop) {
    KadRecord r = response.record();
    if (r == null || !Arrays.equals(r.key().unsafeArray(), key)) {
      return false;
    }
    try {
      validator.validate(key, r.value().toByteArray());
    } catch (InvalidRecordException e) {
      return false;
    }
    count++;
    if (best == null) {
      best = r;
      bestHolders.add(from);
    } else if (best.value().equals(r.value())) {
      bestHolders.add(from);
    } else if (validator.select(key, List.of(best.value().toByteArray(), r.value().toByteArray()))
        == 1) {
      outdated.addAll(bestHolders);
      bestHolders.clear();
      bestHolders.add(from);
      best = r;
    } else {
      outdated.add(from);
    }
    return count >= quorum;
  }

  KadRecord best() {
    return best;
  }

  List<PeerInfo> outdated() {
    return List.copyOf(outdated);
  }
}
