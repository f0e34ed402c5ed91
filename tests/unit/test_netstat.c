// SPDX-License-Identifier: GPL-2.0
/*
 * netstat_parse() on the text of /proc/net/snmp and /proc/net/netstat,
 * copied from a 6.x kernel (the counters the tests read were set to
 * distinct values): header line, values line, matched by column.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "netstat.h"

#define UNUSED __attribute__((unused))

static const char snmp_text[] =
	"Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors "
	"ForwDatagrams InUnknownProtos InDiscards InDelivers OutRequests "
	"OutDiscards OutNoRoutes ReasmTimeout ReasmReqds ReasmOKs "
	"ReasmFails FragOKs FragFails FragCreates OutTransmits\n"
	"Ip: 2 64 626 0 0 0 0 0 626 367 0 0 0 0 0 0 0 0 0 367\n"
	"Icmp: InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds "
	"InParmProbs InSrcQuenchs InRedirects InEchos InEchoReps "
	"InTimestamps InTimestampReps InAddrMasks InAddrMaskReps OutMsgs "
	"OutErrors OutRateLimitGlobal OutRateLimitHost OutDestUnreachs "
	"OutTimeExcds OutParmProbs OutSrcQuenchs OutRedirects OutEchos "
	"OutEchoReps OutTimestamps OutTimestampReps OutAddrMasks "
	"OutAddrMaskReps\n"
	"Icmp: 1 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
	"0\n"
	"IcmpMsg: InType3\n"
	"IcmpMsg: 1\n"
	"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens "
	"PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs "
	"RetransSegs InErrs OutRsts InCsumErrors\n"
	"Tcp: 1 200 120000 -1 15 2 0 0 0 593 335 0 0 17 5\n"
	"Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors "
	"SndbufErrors InCsumErrors IgnoredMulti MemErrors\n"
	"Udp: 32 0 0 33 0 0 0 0 0\n"
	"UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors "
	"SndbufErrors InCsumErrors IgnoredMulti MemErrors\n"
	"UdpLite: 0 0 0 0 0 0 0 0 0\n";

static const char netstat_text[] =
	"TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed "
	"EmbryonicRsts PruneCalled RcvPruned OfoPruned OutOfWindowIcmps "
	"LockDroppedIcmps ArpFilter TW TWRecycled TWKilled PAWSActive "
	"PAWSEstab BeyondWindow TSEcrRejected PAWSOldAck PAWSTimewait "
	"DelayedACKs DelayedACKLocked DelayedACKLost ListenOverflows "
	"ListenDrops TCPHPHits TCPPureAcks TCPHPAcks TCPRenoRecovery "
	"TCPSackRecovery TCPSACKReneging TCPSACKReorder TCPRenoReorder "
	"TCPTSReorder TCPFullUndo TCPPartialUndo TCPDSACKUndo "
	"TCPLossUndo TCPLostRetransmit TCPRenoFailures TCPSackFailures "
	"TCPLossFailures TCPFastRetrans TCPSlowStartRetrans TCPTimeouts "
	"TCPLossProbes TCPLossProbeRecovery TCPRenoRecoveryFail "
	"TCPSackRecoveryFail TCPRcvCollapsed TCPBacklogCoalesce "
	"TCPDSACKOldSent TCPDSACKOfoSent TCPDSACKRecv TCPDSACKOfoRecv "
	"TCPAbortOnData TCPAbortOnClose TCPAbortOnMemory "
	"TCPAbortOnTimeout TCPAbortOnLinger TCPAbortFailed "
	"TCPMemoryPressures TCPMemoryPressuresChrono TCPSACKDiscard "
	"TCPDSACKIgnoredOld TCPDSACKIgnoredNoUndo TCPSpuriousRTOs "
	"TCPMD5NotFound TCPMD5Unexpected TCPMD5Failure TCPSackShifted "
	"TCPSackMerged TCPSackShiftFallback TCPBacklogDrop "
	"PFMemallocDrop TCPMinTTLDrop TCPDeferAcceptDrop "
	"IPReversePathFilter TCPTimeWaitOverflow TCPReqQFullDoCookies "
	"TCPReqQFullDrop TCPRetransFail TCPRcvCoalesce TCPOFOQueue "
	"TCPOFODrop TCPOFOMerge TCPChallengeACK TCPSYNChallenge "
	"TCPFastOpenActive TCPFastOpenActiveFail TCPFastOpenPassive "
	"TCPFastOpenPassiveFail TCPFastOpenListenOverflow "
	"TCPFastOpenCookieReqd TCPFastOpenBlackhole "
	"TCPSpuriousRtxHostQueues BusyPollRxPackets TCPAutoCorking "
	"TCPFromZeroWindowAdv TCPToZeroWindowAdv TCPWantZeroWindowAdv "
	"TCPSynRetrans TCPOrigDataSent TCPHystartTrainDetect "
	"TCPHystartTrainCwnd TCPHystartDelayDetect TCPHystartDelayCwnd "
	"TCPACKSkippedSynRecv TCPACKSkippedPAWS TCPACKSkippedSeq "
	"TCPACKSkippedFinWait2 TCPACKSkippedTimeWait "
	"TCPACKSkippedChallenge TCPWinProbe TCPKeepAlive TCPMTUPFail "
	"TCPMTUPSuccess TCPDelivered TCPDeliveredCE TCPAckCompressed "
	"TCPZeroWindowDrop TCPRcvQDrop TCPWqueueTooBig "
	"TCPFastOpenPassiveAltKey TcpTimeoutRehash "
	"TcpDuplicateDataRehash TCPDSACKRecvSegs TCPDSACKIgnoredDubious "
	"TCPMigrateReqSuccess TCPMigrateReqFailure TCPPLBRehash "
	"TCPAORequired TCPAOBad TCPAOKeyNotFound TCPAOGood "
	"TCPAODroppedIcmps\n"
	"TcpExt: 3 0 0 0 0 0 0 0 0 0 1234 0 7 0 0 0 0 0 0 0 0 0 0 0 16 "
	"18 6 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 2 0 0 0 0 0 18 0 0 0 0 1 0 "
	"0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 42 0 0 0 387 0 0 0 0 "
	"0 0 0 0 0 0 0 0 2 0 0 16 16 10 0 52 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
	"66 0 0 0 0 0 0 2 0 0 0 0 0 0 0 0 0 0 9\n"
	"IpExt: InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts "
	"InBcastPkts OutBcastPkts InOctets OutOctets InMcastOctets "
	"OutMcastOctets InBcastOctets OutBcastOctets InCsumErrors "
	"InNoECTPkts InECT1Pkts InECT0Pkts InCEPkts ReasmOverlaps\n"
	"IpExt: 11 0 0 0 0 0 8589934597 27484 0 0 0 0 0 626 0 0 0 0\n"
	"MPTcpExt: MPCapableSYNRX MPCapableSYNTX MPCapableSYNACKRX "
	"MPCapableACKRX MPCapableFallbackACK MPCapableFallbackSYNACK "
	"MPCapableSYNTXDrop MPCapableSYNTXDisabled MPCapableEndpAttempt "
	"MPFallbackTokenInit MPTCPRetrans MPJoinNoTokenFound MPJoinSynRx "
	"MPJoinSynBackupRx MPJoinSynAckRx MPJoinSynAckBackupRx "
	"MPJoinSynAckHMacFailure MPJoinAckRx MPJoinAckHMacFailure "
	"MPJoinRejected MPJoinSynTx MPJoinSynTxCreatSkErr "
	"MPJoinSynTxBindErr MPJoinSynTxConnectErr DSSNotMatching "
	"DSSCorruptionFallback DSSCorruptionReset InfiniteMapTx "
	"InfiniteMapRx DSSNoMatchTCP DataCsumErr OFOQueueTail OFOQueue "
	"OFOMerge NoDSSInWindow DuplicateData AddAddr AddAddrTx "
	"AddAddrTxDrop EchoAdd EchoAddTx EchoAddTxDrop PortAdd "
	"AddAddrDrop MPJoinPortSynRx MPJoinPortSynAckRx MPJoinPortAckRx "
	"MismatchPortSynRx MismatchPortAckRx RmAddr RmAddrDrop RmAddrTx "
	"RmAddrTxDrop RmSubflow MPPrioTx MPPrioRx MPFailTx MPFailRx "
	"MPFastcloseTx MPFastcloseRx MPRstTx MPRstRx SubflowStale "
	"SubflowRecover SndWndShared RcvWndShared RcvWndConflictUpdate "
	"RcvWndConflict MPCurrEstab Blackhole MPCapableDataFallback "
	"MD5SigFallback DssFallback SimultConnectFallback FallbackFailed "
	"WinProbe\n"
	"MPTcpExt: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
	"0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 "
	"0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

static uint64_t get(const char *text, const char *table, const char *name)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(netstat_parse(text, table, name, &v), 0);
	return v;
}

static int err_of(const char *text, const char *table, const char *name)
{
	uint64_t v = 0xdeadbeef;
	int err = netstat_parse(text, table, name, &v);

	/* nothing found, nothing written (a bad values line may be half read) */
	if (err == -ENOENT)
		assert_int_equal(v, 0xdeadbeef);
	return err;
}

static void ns_first_column(void **state UNUSED)
{
	assert_int_equal(get(snmp_text, "Tcp", "RtoAlgorithm"), 1);
	assert_int_equal(get(snmp_text, "Ip", "Forwarding"), 2);
	assert_int_equal(get(netstat_text, "TcpExt", "SyncookiesSent"), 3);
	assert_int_equal(get(netstat_text, "IpExt", "InNoRoutes"), 11);
}

static void ns_last_column(void **state UNUSED)
{
	assert_int_equal(get(snmp_text, "Tcp", "InCsumErrors"), 5);
	assert_int_equal(get(snmp_text, "Ip", "OutTransmits"), 367);
	assert_int_equal(get(netstat_text, "TcpExt", "TCPAODroppedIcmps"), 9);
}

static void ns_middle_column(void **state UNUSED)
{
	assert_int_equal(get(snmp_text, "Tcp", "RtoMin"), 200);
	assert_int_equal(get(snmp_text, "Tcp", "RtoMax"), 120000);
	assert_int_equal(get(snmp_text, "Tcp", "ActiveOpens"), 15);
	assert_int_equal(get(snmp_text, "Tcp", "InSegs"), 593);
	assert_int_equal(get(snmp_text, "Tcp", "OutSegs"), 335);
	assert_int_equal(get(snmp_text, "Tcp", "OutRsts"), 17);
	assert_int_equal(get(netstat_text, "TcpExt", "TCPTimeWaitOverflow"), 42);
	assert_int_equal(get(netstat_text, "TcpExt", "TWKilled"), 7);
}

/* A one-column table, and a counter past 32 bits. */
static void ns_odd_shapes(void **state UNUSED)
{
	assert_int_equal(get(snmp_text, "IcmpMsg", "InType3"), 1);
	assert_int_equal(get(netstat_text, "IpExt", "InOctets"), 8589934597ULL);
}

/* "TW" is a prefix of "TWRecycled" and "TWKilled": whole names only. */
static void ns_name_prefix(void **state UNUSED)
{
	assert_int_equal(get(netstat_text, "TcpExt", "TW"), 1234);
	assert_int_equal(get(netstat_text, "TcpExt", "TWRecycled"), 0);
	assert_int_equal(err_of(netstat_text, "TcpExt", "TWRecyc"), -ENOENT);
	assert_int_equal(err_of(netstat_text, "TcpExt", "Syncookies"), -ENOENT);
	assert_int_equal(err_of(snmp_text, "Tcp", "OutRst"), -ENOENT);
	assert_int_equal(err_of(snmp_text, "Tcp", "Rsts"), -ENOENT);
}

/* InCsumErrors is in Icmp, Tcp, Udp, UdpLite and IpExt: the table decides. */
static void ns_same_name_other_tables(void **state UNUSED)
{
	assert_int_equal(get(snmp_text, "Tcp", "InCsumErrors"), 5);
	assert_int_equal(get(snmp_text, "Udp", "InCsumErrors"), 0);
	assert_int_equal(get(snmp_text, "Icmp", "InCsumErrors"), 0);
	assert_int_equal(get(netstat_text, "IpExt", "InCsumErrors"), 0);
}

static void ns_missing_name(void **state UNUSED)
{
	assert_int_equal(err_of(snmp_text, "Tcp", "TCPTimeWaitOverflow"), -ENOENT);
	assert_int_equal(err_of(netstat_text, "TcpExt", "NoSuchCounter"), -ENOENT);
	assert_int_equal(err_of(snmp_text, "Tcp", ""), -ENOENT);
	/* a table's name is not one of its counters */
	assert_int_equal(err_of(snmp_text, "Tcp", "Tcp:"), -ENOENT);
}

/* "Tcp" is a prefix of "TcpExt" (and "Ip" of "IpExt"): tables are whole too. */
static void ns_missing_table(void **state UNUSED)
{
	assert_int_equal(err_of(netstat_text, "Tcp", "TW"), -ENOENT);
	assert_int_equal(err_of(netstat_text, "Tcp", "OutRsts"), -ENOENT);
	assert_int_equal(err_of(netstat_text, "Ip", "InNoRoutes"), -ENOENT);
	assert_int_equal(err_of(snmp_text, "TcpExt", "TW"), -ENOENT);
	assert_int_equal(err_of(snmp_text, "Sctp", "SctpCurrEstab"), -ENOENT);
	assert_int_equal(err_of("", "Tcp", "OutRsts"), -ENOENT);
}

/* netstat_read() parses each file alone, but both at once work too. */
static void ns_both_files(void **state UNUSED)
{
	char both[sizeof(snmp_text) + sizeof(netstat_text)];

	snprintf(both, sizeof(both), "%s%s", snmp_text, netstat_text);
	assert_int_equal(get(both, "Tcp", "OutRsts"), 17);
	assert_int_equal(get(both, "TcpExt", "TCPTimeWaitOverflow"), 42);
	assert_int_equal(get(both, "UdpLite", "MemErrors"), 0);
}

static void ns_malformed(void **state UNUSED)
{
	/* a header with no values line after it */
	assert_int_equal(err_of("Tcp: ActiveOpens OutRsts\n", "Tcp", "OutRsts"), -ENOENT);
	assert_int_equal(err_of("Tcp: ActiveOpens OutRsts", "Tcp", "OutRsts"), -ENOENT);
	/* the next line belongs to another table */
	assert_int_equal(err_of("Tcp: ActiveOpens OutRsts\nUdp: 1 2\n", "Tcp", "OutRsts"),
			 -ENOENT);
	assert_int_equal(err_of("Tcp: ActiveOpens OutRsts\nTcpExt: 1 2\n", "Tcp", "OutRsts"),
			 -ENOENT);
	/* fewer values than names */
	assert_int_equal(err_of("Tcp: ActiveOpens OutRsts\nTcp: 1\n", "Tcp", "OutRsts"),
			 -EINVAL);
	assert_int_equal(err_of("Tcp: ActiveOpens OutRsts\nTcp: 1 x\n", "Tcp", "OutRsts"),
			 -EINVAL);
	/* a values line without its trailing newline is still whole */
	assert_int_equal(get("Tcp: ActiveOpens OutRsts\nTcp: 1 2", "Tcp", "OutRsts"), 2);
}

static void ns_table_name_too_long(void **state UNUSED)
{
	assert_int_equal(err_of(snmp_text, "ThisTableNameIsFarTooLongToBeReal", "X"),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ns_first_column),
		cmocka_unit_test(ns_last_column),
		cmocka_unit_test(ns_middle_column),
		cmocka_unit_test(ns_odd_shapes),
		cmocka_unit_test(ns_name_prefix),
		cmocka_unit_test(ns_same_name_other_tables),
		cmocka_unit_test(ns_missing_name),
		cmocka_unit_test(ns_missing_table),
		cmocka_unit_test(ns_both_files),
		cmocka_unit_test(ns_malformed),
		cmocka_unit_test(ns_table_name_too_long),
	};

	return cmocka_run_group_tests_name("netstat", tests, NULL, NULL);
}
