package io.alfer.label.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConsensusTest {

  @Test
  void majorityTiesGoToConfidenceThenToTheLowerClassWhateverTheOrder() {
    List<Vote> votes = List.of(new Vote("a", 2, 0.5f), new Vote("b", 1, 0.9f));
    assertThat(MajorityVote.decide(votes, 3).label()).isEqualTo(1);
    assertThat(MajorityVote.decide(List.of(votes.get(1), votes.get(0)), 3).label()).isEqualTo(1);
    List<Vote> even = List.of(new Vote("a", 2, 0f), new Vote("b", 0, 0f));
    assertThat(MajorityVote.decide(even, 3)).isEqualTo(new Decision(0, 0.5, "majority"));
  }

  @Test
  void dawidSkeneLearnsASystematicallyConfusedAnnotatorThatMajorityVoteCannotUse() {
    // Two honest annotators right 65% of the time; a third who, 95% of the time, answers the
    // class after the true one. The majority is often wrong; Dawid-Skene reads the third.
    Random rnd = new Random(7);
    int classes = 3;
    int items = 300;
    List<List<Vote>> votes = new ArrayList<>();
    int[] truth = new int[items];
    for (int i = 0; i < items; i++) {
      truth[i] = rnd.nextInt(classes);
      List<Vote> v = new ArrayList<>();
      for (String honest : List.of("h1", "h2")) {
        int l = rnd.nextDouble() < 0.65 ? truth[i] : (truth[i] + 1 + rnd.nextInt(2)) % classes;
        v.add(new Vote(honest, l, 0f));
      }
      int shifted = rnd.nextDouble() < 0.95 ? (truth[i] + 1) % classes : rnd.nextInt(classes);
      v.add(new Vote("shift", shifted, 0f));
      votes.add(v);
    }
    DawidSkene.Model model = DawidSkene.fit(votes, classes);
    int ds = 0;
    int majority = 0;
    for (int i = 0; i < items; i++) {
      double[] p = model.posterior(votes.get(i));
      int best = 0;
      for (int k = 1; k < classes; k++) {
        best = p[k] > p[best] ? k : best;
      }
      ds += best == truth[i] ? 1 : 0;
      majority += MajorityVote.decide(votes.get(i), classes).label() == truth[i] ? 1 : 0;
    }
    assertThat(ds).isGreaterThan((int) (0.9 * items));
    assertThat(ds).isGreaterThan(majority + items / 5);
  }

  @Test
  void consensusSwitchesToDawidSkeneOnceEveryAnnotatorHasHistory() {
    Consensus c = new Consensus(2, 3, 1);
    c.add("i1", new Vote("a", 0, 0f));
    c.add("i1", new Vote("b", 0, 0f));
    assertThat(c.decide("i1").method()).isEqualTo(Consensus.MAJORITY);
    for (int i = 2; i <= 4; i++) {
      c.add("i" + i, new Vote("a", i % 2, 0f));
      c.add("i" + i, new Vote("b", i % 2, 0f));
    }
    Decision d = c.decide("i4");
    assertThat(d.method()).isEqualTo(Consensus.DAWID_SKENE);
    assertThat(d.label()).isZero();
    assertThat(d.agreement()).isBetween(0.5, 1.0);
  }
}
