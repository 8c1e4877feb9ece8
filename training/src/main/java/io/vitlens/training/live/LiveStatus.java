package io.vitlens.training.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vitlens.training.EpochMetrics;

import java.util.ArrayList;
import java.util.List;

/**
 * What the live page shows, updated by the trainer's thread and read by the server's: one row per
 * finished epoch, the running epoch's progress, and claim C1's rho per checkpoint as it is measured.
 * Every method is synchronised; the state is a few hundred numbers.
 */
public final class LiveStatus {

    /** C1 on one checkpoint: Spearman rho of cos(p_i, p_j) vs grid distance, with its permutation p-value. */
    public record PositionRho(String checkpoint, int epoch, double rho, double pValue) { }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String run;
    private final List<EpochMetrics> epochs = new ArrayList<>();
    private final List<PositionRho> rho = new ArrayList<>();
    private int epoch, totalEpochs;
    private long imagesDone, imagesTotal;
    private double loss = Double.NaN, lr = Double.NaN;
    private String state = "starting";
    private String rhoNote;

    public LiveStatus(String run) { this.run = run; }

    synchronized void epochStart(int e, int total, long images) {
        epoch = e;
        totalEpochs = total;
        imagesTotal = images;
        imagesDone = 0;
        state = "training";
    }

    synchronized void batch(long done, double l, double rate) {
        imagesDone = done;
        loss = l;
        lr = rate;
    }

    synchronized void epochEnd(EpochMetrics m) { epochs.add(m); }

    synchronized void rho(PositionRho r) {
        rho.add(r);
        rho.sort(java.util.Comparator.comparingInt(PositionRho::epoch));
    }

    /** Why no rho can be shown (e.g. the model has no position embedding); null when there is none. */
    synchronized void rhoNote(String note) { rhoNote = note; }

    synchronized void finished(String how) { state = how; }

    public synchronized int epochsDone() { return epochs.size(); }

    public synchronized List<PositionRho> rhos() { return List.copyOf(rho); }

    /** The page's data: {@code /status.json}. */
    public synchronized String json() {
        ObjectNode o = JSON.createObjectNode().put("run", run).put("state", state).put("epoch", epoch)
                .put("epochs", totalEpochs).put("imagesDone", imagesDone).put("imagesTotal", imagesTotal);
        num(o, "loss", loss);
        num(o, "lr", lr);
        ArrayNode rows = o.putArray("history");
        for (EpochMetrics m : epochs) {
            ObjectNode r = rows.addObject().put("epoch", m.epoch());
            num(r, "trainLoss", m.trainLoss());
            num(r, "testLoss", m.testLoss());
            num(r, "testAccuracy", m.testAccuracy());
            num(r, "lr", m.lr());
            num(r, "imagesPerSecond", m.imagesPerSecond());
        }
        ArrayNode c1 = o.putArray("positionRho");
        for (PositionRho r : rho) {
            ObjectNode n = c1.addObject().put("checkpoint", r.checkpoint()).put("epoch", r.epoch());
            num(n, "rho", r.rho());
            num(n, "pValue", r.pValue());
        }
        if (rhoNote != null) o.put("positionRhoNote", rhoNote);
        return o.toString();
    }

    private static void num(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) o.put(k, v);
        else o.putNull(k);
    }
}
