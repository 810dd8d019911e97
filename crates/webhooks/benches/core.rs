//! What a game server pays per body: verifying one (the whole payload read
//! as JSON), reading it into its own type, and signing one for a test. Run
//! with `cargo bench -p gpwh-webhooks`; the tool's batch mode has its own
//! fast path, timed by `bench/compare.py`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gpwh_webhooks::{Digest, Event, Secret, SignatureEncoding, Verifier, sign};

/// A GivePlayerReward body as the vendor's example sends it (525 bytes).
fn reward_body(secret: &Secret) -> (Vec<u8>, String) {
    let mut payload = Event::find("GivePlayerReward")
        .expect("the catalog lists GivePlayerReward")
        .template("2024-04-26T11:34:23.415923998Z");
    payload["player"]["name"] = "".into();
    payload["player"]["avatar"] = "".into();
    let json = serde_json::to_vec(&payload).expect("a JSON value serializes");
    let body = sign(&json, secret, SignatureEncoding::Hex);
    (json, body)
}

#[derive(serde::Deserialize)]
struct Reward {
    #[allow(dead_code)]
    player: Player,
}

#[derive(serde::Deserialize)]
struct Player {
    #[allow(dead_code)]
    id: u64,
}

fn per_body(c: &mut Criterion) {
    let secret = Secret::from("bench-secret");
    let verifier = Verifier::new([secret.clone()]);
    let (json, body) = reward_body(&secret);
    let bytes = body.as_bytes();
    let (payload_part, _) = body.rsplit_once('.').expect("a signed body has a '.'");

    let mut group = c.benchmark_group("per body");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("signature digest", |b| {
        b.iter(|| Digest::of(black_box(payload_part.as_bytes()), &secret))
    });
    group.bench_function("verify", |b| b.iter(|| verifier.verify(black_box(bytes))));
    group.bench_function("verify, read into a type", |b| {
        b.iter(|| {
            verifier
                .verify(black_box(bytes))
                .and_then(|webhook| webhook.parse::<Reward>())
        })
    });
    group.bench_function("sign", |b| {
        b.iter(|| sign(black_box(&json), &secret, SignatureEncoding::Hex))
    });
    group.finish();
}

criterion_group!(benches, per_body);
criterion_main!(benches);
