//! The core's cost per body: what batch mode pays for every line. Run with
//! `cargo bench --bench core`; `bench/compare.sh` times whole runs.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gpwh_webhooks::{Body, EVENTS, Secret, SignatureEncoding};

/// A GivePlayerReward body as the vendor's example sends it (525 bytes).
fn reward_body(secret: &Secret) -> String {
    let mut payload = EVENTS
        .iter()
        .find(|e| e.name == "GivePlayerReward")
        .expect("the catalog lists GivePlayerReward")
        .template("2024-04-26T11:34:23.415923998Z");
    payload["player"]["name"] = "".into();
    payload["player"]["avatar"] = "".into();
    let json = serde_json::to_vec(&payload).expect("a JSON value serializes");
    gpwh_webhooks::sign(&json, secret, SignatureEncoding::Hex)
}

fn per_body(c: &mut Criterion) {
    let secret = Secret::from("bench-secret");
    let secrets = [secret.clone()];
    let body = reward_body(&secret);
    let bytes = body.as_bytes();
    let parsed = Body::parse(bytes).expect("the body parses");
    let mut scratch = Vec::new();
    parsed
        .payload_bytes_into(&mut scratch)
        .expect("the payload decodes");
    let json = scratch.clone();

    let mut group = c.benchmark_group("per body");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("split (Body::parse)", |b| {
        b.iter(|| Body::parse(black_box(bytes)))
    });
    group.bench_function("decode base64", |b| {
        b.iter(|| black_box(&parsed).payload_bytes_into(&mut scratch))
    });
    group.bench_function("scan JSON for the event", |b| {
        b.iter(|| gpwh_webhooks::scan(black_box(&json)))
    });
    group.bench_function("signature digest", |b| {
        b.iter(|| gpwh_webhooks::Digest::of(black_box(parsed.payload_part()), &secret))
    });
    group.bench_function("check (batch verify)", |b| {
        b.iter(|| {
            Body::parse(black_box(bytes)).and_then(|body| {
                body.check(&secrets, &mut scratch)
                    .map(|checked| checked.secret())
            })
        })
    });
    group.bench_function("verify (one body, full JSON)", |b| {
        b.iter(|| gpwh_webhooks::verify(black_box(bytes), &secrets))
    });
    group.bench_function("sign", |b| {
        b.iter(|| gpwh_webhooks::sign(black_box(&json), &secret, SignatureEncoding::Hex))
    });
    group.finish();
}

criterion_group!(benches, per_body);
criterion_main!(benches);
