package dev.atomicfile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.atomicfile.testsupport.CommitStrace;
import dev.atomicfile.testsupport.StraceLog.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a committing child JVM at every file-system call of one commit in turn: one commit of three
 * files in two directories (two replaced, one new) at {@link Durability#FULL}, traced once to list
 * its calls, then run once per call with strace delivering SIGKILL on entry to exactly that call
 * ({@code -e inject=<call>:signal=KILL:when=<n>}). After each kill, recovery and a reaper pass as at
 * the next start: every target old (or still absent) or every target new, nothing left. And as the
 * kill moves later, the outcome switches from old to new exactly once: at the commit point, never
 * back.
 *
 * <p>Needs strace (CI installs it). The fsync parallelism is 1, so that the committing thread makes
 * every file call of the commit, which the traced run checks: strace counts per thread (see
 * {@link CommitStrace}).
 */
class CommitSyscallKillTest {

	@TempDir
	Path scratch;

	@Test
	void killAtEveryFileCallOfOneCommitLeavesAllOldOrAllNew() throws Exception {
		CommitStrace.OneCommit commit = new CommitStrace.OneCommit(this.scratch.resolve("run"));
		CommitStrace.Run traced = commit.run(List.of(), true);
		assertThat(traced.exitValue()).as("traced run: %s", traced.output()).isZero();
		assertThat(traced.end()).isEqualTo("END ok");
		List<Call> commitCalls = traced.commitCalls()
			.stream()
			.filter((call) -> call.pid() == traced.thread())
			.toList();
		assertThat(commitCalls).as("file calls of the commit").hasSizeGreaterThan(20);
		// The JVM's own threads read cgroup files meanwhile; none may do any of the commit's work.
		assertThat(traced.commitCalls()).filteredOn((call) -> call.pid() != traced.thread())
			.allSatisfy((call) -> assertThat(call.is("openat", "close")
					&& call.paths().stream().noneMatch((path) -> path.startsWith(this.scratch.toString())))
				.as("a call of another thread: %s", call)
				.isTrue());
		assertThat(commit.settleAndJudge("traced run")).as("traced run: all new").isTrue();

		List<String> outcomes = new ArrayList<>();
		Map<String, Integer> pointsPerCall = new TreeMap<>();
		int switchedAt = -1;
		for (int point = 0; point < commitCalls.size(); point++) {
			Call call = commitCalls.get(point);
			int occurrence = traced.countBefore(call.name(), call.index());
			String context = "kill " + point + " of " + commitCalls.size() + ", on entry to " + call.name() + " #"
					+ occurrence + " of the thread since the attach (traced: " + call.name() + "(" + call.arguments()
					+ ") = " + call.result() + ")";
			CommitStrace.Run killed = commit.run(List.of("-e", "inject=" + call.name() + ":signal=KILL:when=" + occurrence),
					false);
			assertThat(killed.killed()).as("%s: killed; exit %d, output %s", context, killed.exitValue(), killed.output())
				.isTrue();
			assertThat(killed.output()).as(context).isEqualTo("BEGIN\n");
			List<Call> seen = killed.trace().calls();
			Call last = seen.get(seen.size() - 1);
			assertThat(last.name() + " #" + killed.countBefore(last.name(), last.index()) + " " + last.result())
				.as("%s: the call the kill came on", context)
				.isEqualTo(call.name() + " #" + occurrence + " ?");
			boolean allNew = commit.settleAndJudge(context);
			outcomes.add(allNew ? "new" : "old");
			pointsPerCall.merge(call.name(), 1, Integer::sum);
			if (allNew && switchedAt < 0) {
				switchedAt = point;
			}
			assertThat(allNew || switchedAt < 0).as("%s: old again after a kill at point %d left the new content",
					context, switchedAt).isTrue();
		}
		assertThat(switchedAt).as("some kill came after the commit point: %s", outcomes).isPositive();
		Call commitPoint = commitCalls.get(switchedAt);
		System.out.printf("CommitSyscallKillTest: %d kill points (%s); all old up to point %d, all new from point %d "
				+ "on (a kill on entry to %s(%s)); %d points old, %d new%n", commitCalls.size(), pointsPerCall,
				switchedAt - 1, switchedAt, commitPoint.name(), commitPoint.arguments(), switchedAt,
				commitCalls.size() - switchedAt);
	}

}
