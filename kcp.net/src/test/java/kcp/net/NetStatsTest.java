package kcp.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetStatsTest {

    @Test
    void shouldUseKcpGoHeaderNamesInOrder() {
        List<String> header = NetStatsSnapshot.header();
        assertEquals(List.of("BytesSent", "BytesReceived", "MaxConn", "ActiveOpens", "PassiveOpens", "CurrEstab",
                "InErrs", "InCsumErrors", "KCPInErrors", "InPkts", "OutPkts", "InSegs", "OutSegs", "InBytes",
                "OutBytes", "RetransSegs", "FastRetransSegs", "EarlyRetransSegs", "LostSegs", "RepeatSegs",
                "FECFullShards", "FECParityShards", "FECErrs", "FECRecovered", "FECShardSet", "FECShardMin",
                "RingBufferSndQueue", "RingBufferRcvQueue", "RingBufferSndBuffer", "OOBPackets", "FECShortShards",
                "InReplays", "SessionsShed", "InBudgetDrops", "OOBDrops"),
                header);
    }

    @Test
    void shouldCountPerSessionAndGloballyAndResetOnlyTheSession() {
        NetStats session = NetStats.newSessionStats();
        long globalBefore = NetStats.global().get(SnmpField.IN_CSUM_ERRORS);
        session.counters().add(SnmpField.IN_CSUM_ERRORS, 3);
        session.counters().increment(SnmpField.IN_CSUM_ERRORS);
        session.counters().set(SnmpField.RING_BUFFER_SND_QUEUE, 7);
        assertEquals(4, session.get(SnmpField.IN_CSUM_ERRORS));
        assertEquals(4, session.snapshot().inCsumErrors());
        assertEquals(7, session.snapshot().get(SnmpField.RING_BUFFER_SND_QUEUE));
        assertTrue(NetStats.global().get(SnmpField.IN_CSUM_ERRORS) >= globalBefore + 4);
        session.reset();
        assertEquals(0, session.get(SnmpField.IN_CSUM_ERRORS));
        assertTrue(NetStats.global().get(SnmpField.IN_CSUM_ERRORS) >= globalBefore + 4);
    }

    @Test
    void shouldMapEverySnapshotComponentToItsField() {
        NetStats s = NetStats.newSessionStats();
        for (SnmpField f : SnmpField.values()) {
            switch (f.kind()) {
                case COUNTER -> s.counters().add(f, f.ordinal() + 1);
                case GAUGE -> s.counters().set(f, f.ordinal() + 1);
                case MAX -> s.counters().raise(f, f.ordinal() + 1);
            }
        }
        NetStatsSnapshot snap = s.snapshot();
        for (SnmpField f : SnmpField.values()) {
            assertEquals(f.ordinal() + 1, snap.get(f), f.label());
        }
        assertEquals(Arrays.stream(SnmpField.values()).map(f -> Integer.toString(f.ordinal() + 1)).toList(),
                snap.toSlice());
        assertEquals(6, snap.currEstab());
        assertEquals(31, snap.fecShortShards());
    }

    @Test
    void shouldRejectWrongUpdateKinds() {
        NetStats s = NetStats.newSessionStats();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.counters().add(SnmpField.MAX_CONN, 1));
        assertEquals("add() needs a COUNTER field: MAX_CONN is MAX", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.counters().set(SnmpField.IN_PKTS, 1));
        assertThrows(IllegalArgumentException.class, () -> s.counters().raise(SnmpField.FEC_SHARD_SET, 1));
    }

    @Test
    void shouldExposeGlobalCountersThroughThePlatformMBeanServerOnRequest() throws Exception {
        ObjectName name = new ObjectName(NetStats.GLOBAL_OBJECT_NAME);
        assertEquals(name, NetStats.registerGlobalMBean());
        assertEquals(name, NetStats.registerGlobalMBean(), "a second call finds it registered");
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        assertTrue(server.isRegistered(name));
        MBeanAttributeInfo[] attrs = server.getMBeanInfo(name).getAttributes();
        assertEquals(NetStatsSnapshot.header(), Arrays.stream(attrs).map(MBeanAttributeInfo::getName).toList());
        NetStats session = NetStats.newSessionStats();
        long before = (Long) server.getAttribute(name, "KCPInErrors");
        session.counters().add(SnmpField.KCP_IN_ERRORS, 5);
        assertTrue((Long) server.getAttribute(name, "KCPInErrors") >= before + 5);
    }

    @ParameterizedTest(name = "-Dkcp.net.jmx={0}")
    @ValueSource(booleans = {true, false})
    void shouldRegisterTheGlobalMBeanAtStartOnlyWhenAskedTo(boolean jmx) throws Exception {
        // A child JVM, because the property acts when NetStats initialises.
        assertEquals("registered=" + jmx, ChildJvm.run("kcp.net.JmxProbe", "-Dkcp.net.jmx=" + jmx));
    }

    @Test
    void shouldRegisterResetAndUnregisterASessionMBean() throws Exception {
        NetStats session = NetStats.newSessionStats();
        session.counters().add(SnmpField.IN_PKTS, 12);
        String nameText = "kcp.net:type=NetStats,name=test-" + System.nanoTime();
        ObjectName name = session.registerMBean(nameText);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        assertEquals(12L, server.getAttribute(name, "InPkts"));
        IllegalStateException dup = assertThrows(IllegalStateException.class, () -> session.registerMBean(nameText));
        assertTrue(dup.getMessage().startsWith("JMX name already registered: " + nameText), dup.getMessage());
        server.invoke(name, "reset", null, null);
        assertEquals(0L, server.getAttribute(name, "InPkts"));
        assertTrue(NetStats.unregisterMBean(nameText));
        assertFalse(NetStats.unregisterMBean(nameText));
        assertThrows(IllegalArgumentException.class, () -> session.registerMBean("no colon"));
    }
}
