//! The simulator's network model: latency, loss, duplication, reordering, partitions,
//! one-way link cuts and dropping a message by id.

use raft_core::sim::{DropReason, NetworkConfig, Sim, SimConfig, SimError, TraceKind};
use raft_core::{NodeId, Role};

mod sim_support;
use sim_support::elect;

fn sim(seed: u64, network: NetworkConfig) -> Sim {
    Sim::new(SimConfig {
        nodes: 5,
        seed,
        network,
        trace_capacity: 100_000,
        ..SimConfig::default()
    })
    .unwrap()
}

#[test]
fn latency_stays_in_range() {
    let mut s = sim(
        1,
        NetworkConfig {
            latency_ms: (12.0, 17.5),
            ..NetworkConfig::default()
        },
    );
    let mut seen = 0;
    for _ in 0..200 {
        s.advance_us(7_000);
        for m in s.in_flight() {
            let latency = m.deliver_us - m.sent_us;
            assert!((12_000..=17_500).contains(&latency), "latency {latency} µs");
            assert!(m.sent_us <= s.now_us() && s.now_us() <= m.deliver_us);
            seen += 1;
        }
    }
    assert!(seen > 100, "saw only {seen} messages in flight");
    assert!(s.violations().is_empty());
}

#[test]
fn total_loss_prevents_any_election() {
    let mut s = sim(
        2,
        NetworkConfig {
            loss_ratio: 1.0,
            ..NetworkConfig::default()
        },
    );
    s.advance_us(5_000_000);
    assert_eq!(s.leader(), None);
    let st = s.stats();
    assert!(st.messages_sent > 0);
    assert_eq!(st.messages_delivered, 0);
    assert_eq!(st.messages_dropped, st.messages_sent);
    assert!(s.trace().all(|e| !matches!(e.kind, TraceKind::Deliver(_))));
}

#[test]
fn partial_loss_drops_about_that_share() {
    let mut s = sim(
        3,
        NetworkConfig {
            loss_ratio: 0.3,
            ..NetworkConfig::default()
        },
    );
    s.advance_us(20_000_000);
    let st = s.stats();
    let share = st.messages_dropped as f64 / st.messages_sent as f64;
    assert!((0.25..0.35).contains(&share), "dropped share {share}");
    assert!(
        s.leader().is_some(),
        "Raft still elects a leader at 30% loss"
    );
    assert!(s.violations().is_empty());
}

#[test]
fn duplication_delivers_twice_and_stays_safe() {
    let mut s = sim(
        4,
        NetworkConfig {
            duplicate_ratio: 0.5,
            ..NetworkConfig::default()
        },
    );
    let l = elect(&mut s);
    for i in 0..20 {
        s.propose(format!("put k{i} v{i}").into_bytes(), Some(l))
            .unwrap();
        s.advance_us(20_000);
    }
    s.advance_us(2_000_000);
    let st = s.stats();
    assert!(st.messages_duplicated > st.messages_sent / 3, "{st:?}");
    assert!(st.messages_delivered > st.messages_sent, "{st:?}");
    assert!(s.trace().any(|e| matches!(e.kind, TraceKind::Duplicate(_))));
    assert!(s.violations().is_empty(), "{:?}", s.violations());
    for id in s.node_ids() {
        assert_eq!(s.kv(id).unwrap().get("k19"), Some("v19"), "node {id}");
    }
}

#[test]
fn a_wide_latency_range_reorders_messages_on_a_link() {
    let mut s = sim(
        5,
        NetworkConfig {
            latency_ms: (1.0, 80.0),
            ..NetworkConfig::default()
        },
    );
    let l = elect(&mut s);
    for i in 0..50 {
        let _ = s.propose(format!("put x {i}").into_bytes(), Some(l));
        s.advance_us(3_000);
    }
    s.advance_us(1_000_000);
    // On one link, ids are assigned in send order; a delivery with a smaller id after a
    // larger one is a reordering.
    let mut last: std::collections::BTreeMap<(NodeId, NodeId), u64> = Default::default();
    let mut reordered = 0;
    for e in s.trace() {
        if let TraceKind::Deliver(m) = &e.kind {
            let prev = last.entry((m.from, m.to)).or_insert(0);
            if m.id < *prev {
                reordered += 1;
            }
            *prev = (*prev).max(m.id);
        }
    }
    assert!(reordered > 10, "only {reordered} reordered deliveries");
    assert!(s.violations().is_empty());
}

#[test]
fn an_isolated_leader_is_replaced_and_cannot_commit() {
    let mut s = sim(6, NetworkConfig::default());
    let old = elect(&mut s);
    let old_term = s.node(old).unwrap().term();
    let rest: Vec<NodeId> = s.node_ids().into_iter().filter(|&n| n != old).collect();
    s.partition(&[vec![old], rest]).unwrap();
    assert_ne!(s.group_of(old), s.group_of(if old == 1 { 2 } else { 1 }));
    let (_, index) = s.propose(b"put lost 1".to_vec(), Some(old)).unwrap();
    s.advance_us(3_000_000);
    let new = s
        .node_ids()
        .into_iter()
        .filter(|&n| n != old)
        .find(|&n| s.node(n).unwrap().role() == Role::Leader)
        .expect("the majority elects a new leader");
    assert!(s.node(new).unwrap().term() > old_term);
    assert!(
        s.node(old).unwrap().commit_index() < index,
        "a minority cannot commit"
    );
    s.heal();
    assert!(s.is_healed());
    s.advance_us(3_000_000);
    let leader = s.leader().unwrap();
    let last = s.node(leader).unwrap().last_index();
    for id in s.node_ids() {
        let n = s.node(id).unwrap();
        assert_eq!(n.last_index(), last, "node {id} converged");
        assert_eq!(
            s.kv(id).unwrap().get("lost"),
            None,
            "the minority's entry was discarded"
        );
    }
    assert!(s.violations().is_empty());
}

#[test]
fn partitioning_drops_messages_already_in_flight_at_arrival() {
    let mut s = sim(7, NetworkConfig::default());
    let l = elect(&mut s);
    // Find a moment with a message in flight from the leader, then cut it off.
    let mut victim = None;
    for _ in 0..1000 {
        s.advance_us(1_000);
        victim = s
            .in_flight()
            .find(|m| m.msg.from == l)
            .map(|m| (m.id, m.msg.to));
        if victim.is_some() {
            break;
        }
    }
    let (id, to) = victim.expect("leader sends heartbeats");
    s.partition(&[vec![l]]).unwrap();
    assert!(
        s.in_flight().any(|m| m.id == id),
        "still flying until it arrives"
    );
    s.advance_us(200_000);
    let dropped = s.trace().any(|e| {
        matches!(&e.kind, TraceKind::Drop(m, DropReason::Partition) if m.id == id && m.to == to)
    });
    assert!(
        dropped,
        "the in-flight message is dropped when it would arrive"
    );
    assert!(!s
        .trace()
        .any(|e| matches!(&e.kind, TraceKind::Deliver(m) if m.id == id)));
}

#[test]
fn a_one_way_cut_blocks_only_that_direction() {
    let mut s = sim(8, NetworkConfig::default());
    let l = elect(&mut s);
    let f = if l == 1 { 2 } else { 1 };
    s.cut_link(l, f).unwrap();
    assert!(!s.link_up(l, f));
    assert!(s.link_up(f, l));
    let mark = s.trace_next_seq();
    s.advance_us(1_000_000);
    let mut to_f = 0;
    let mut from_f = 0;
    for e in s.trace_since(mark) {
        if let TraceKind::Deliver(m) = &e.kind {
            if m.from == l && m.to == f {
                to_f += 1;
            }
            if m.from == f && m.to == l {
                from_f += 1;
            }
        }
    }
    assert_eq!(to_f, 0, "nothing crosses the cut direction");
    assert!(
        from_f > 0 || s.node(f).unwrap().role() != Role::Follower,
        "the other direction still works"
    );
    s.restore_link(l, f).unwrap();
    assert!(s.link_up(l, f));
    assert!(s.violations().is_empty());
}

#[test]
fn dropping_a_message_by_id() {
    let mut s = sim(9, NetworkConfig::default());
    elect(&mut s);
    let mut id = None;
    for _ in 0..1000 {
        s.advance_us(1_000);
        id = s.in_flight().next().map(|m| m.id);
        if id.is_some() {
            break;
        }
    }
    let id = id.unwrap();
    s.drop_message(id).unwrap();
    assert!(s.in_flight().all(|m| m.id != id));
    assert_eq!(s.drop_message(id), Err(SimError::NoSuchMessage(id)));
    s.advance_us(500_000);
    assert!(s
        .trace()
        .any(|e| matches!(&e.kind, TraceKind::Drop(m, DropReason::User) if m.id == id)));
    assert!(!s
        .trace()
        .any(|e| matches!(&e.kind, TraceKind::Deliver(m) if m.id == id)));
}

#[test]
fn network_settings_are_validated() {
    let mut s = sim(10, NetworkConfig::default());
    let err = s
        .set_network(NetworkConfig {
            loss_ratio: 1.5,
            ..NetworkConfig::default()
        })
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "lossRatio must be between 0 and 1 (got 1.5)"
    );
    let err = s
        .set_network(NetworkConfig {
            latency_ms: (30.0, 10.0),
            ..NetworkConfig::default()
        })
        .unwrap_err();
    assert!(err.to_string().starts_with("latencyMs"), "{err}");
    assert!(s
        .set_network(NetworkConfig {
            duplicate_ratio: f64::NAN,
            ..NetworkConfig::default()
        })
        .is_err());
    let err = s.partition(&[vec![1, 2], vec![2, 3]]).unwrap_err();
    assert_eq!(err, SimError::DuplicateInPartition(2));
    let err = s.partition(&[vec![1, 9]]).unwrap_err();
    assert_eq!(err.to_string(), "node 9 does not exist (ids are 1..5)");
    // Still usable after the errors.
    s.advance_us(1_000_000);
    assert!(s.leader().is_some());
}
