package kcp.smux.internal;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Streams by id: open addressing with linear probing on the raw 32-bit id, so looking a stream up for every
 * received frame boxes nothing. Not thread safe: guarded by the session lock.
 */
final class StreamMap {
    private int[] keys = new int[16];
    private MuxStream[] values = new MuxStream[16];
    private int size;

    int size() {
        return size;
    }

    private int slot(int key) {
        return (key * 0x9E3779B9 >>> 16) & (keys.length - 1);
    }

    MuxStream get(int key) {
        int mask = keys.length - 1;
        for (int i = slot(key); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
        }
        return null;
    }

    void put(int key, MuxStream value) {
        if ((size + 1) * 4 > keys.length * 3) {
            grow();
        }
        int mask = keys.length - 1;
        int i = slot(key);
        while (values[i] != null) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    /** Removes {@code key} if it maps to {@code value}. */
    void remove(int key, MuxStream value) {
        int mask = keys.length - 1;
        int i = slot(key);
        while (values[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (values[i] != value || value == null) {
            return;
        }
        values[i] = null;
        size--;
        // backward-shift deletion keeps every probe chain unbroken
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            boolean movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
            if (movable) {
                keys[i] = keys[j];
                values[i] = values[j];
                values[j] = null;
                i = j;
            }
        }
    }

    void forEach(Consumer<MuxStream> action) {
        for (MuxStream s : values.clone()) {
            if (s != null) {
                action.accept(s);
            }
        }
    }

    private void grow() {
        int[] oldKeys = keys;
        MuxStream[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new MuxStream[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                put(oldKeys[i], oldValues[i]);
            }
        }
        Arrays.fill(oldValues, null);
    }
}
