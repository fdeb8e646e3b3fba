pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/escalarmulfix.circom";
include "circomlib/circuits/babyjub.circom";

// A Pedersen commitment v·G + r·H on Baby Jubjub: G is circomlib's Base8, H the first
// generator of circomlib's Pedersen hash (blake), whose discrete log to G nobody knows.
template Commit() {
    signal input v;
    signal input r;
    signal output x;
    signal output y;
    var G[2] = [
        5299619240641551281634865583518297030282874472190772894086521144482721001553,
        16950150798460657717958625567821834550301663161624707787222815936182638968203
    ];
    var H[2] = [
        10457101036533406547632367118273992217979173478358440826365724437999023779287,
        19824078218392094440610104313265183977899662750282163392862422243483260492317
    ];
    component vBits = Num2Bits(64);
    vBits.in <== v;
    component rBits = Num2Bits(251);
    rBits.in <== r;
    component vG = EscalarMulFix(64, G);
    for (var i = 0; i < 64; i++) vG.e[i] <== vBits.out[i];
    component rH = EscalarMulFix(251, H);
    for (var i = 0; i < 251; i++) rH.e[i] <== rBits.out[i];
    component sum = BabyAdd();
    sum.x1 <== vG.out[0];
    sum.y1 <== vG.out[1];
    sum.x2 <== rH.out[0];
    sum.y2 <== rH.out[1];
    x <== sum.xout;
    y <== sum.yout;
}

// A confidential transfer: the sender knows the opening of its balance commitment B and of
// the amount commitment A, the amount is in [0, 2^64), and what remains (balance - amount)
// is in [0, 2^64). The chain then moves A: B' = B - A for the sender, R' = R + A for the
// receiver, so value is conserved by construction.
template ConfidentialTransfer() {
    signal input balanceX;
    signal input balanceY;
    signal input amountX;
    signal input amountY;
    signal input balance;
    signal input balanceBlind;
    signal input amount;
    signal input amountBlind;

    component remaining = Num2Bits(64);
    remaining.in <== balance - amount;

    component b = Commit();
    b.v <== balance;
    b.r <== balanceBlind;
    b.x === balanceX;
    b.y === balanceY;

    component a = Commit();
    a.v <== amount;
    a.r <== amountBlind;
    a.x === amountX;
    a.y === amountY;
}

component main {public [balanceX, balanceY, amountX, amountY]} = ConfidentialTransfer();
