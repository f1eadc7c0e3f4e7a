//! A seller that is an individual entrepreneur (ИП), against the real qoltanba-operator set up
//! for one (`sole_proprietor`), with the real OS keychain (run under `./dev.sh test`): `/me`
//! names the seller by its IIN, the account keeps it as an IIN, and a document signed with the
//! entrepreneur's personal key is verified by the operator and delivered.

mod operator_common;

use operator_common::*;
use qoltanba_core::model::Status;
use qoltanba_core::operator::{add_account, current_account, send_outbox, Token, Tokens};
use qoltanba_core::signature::{Seller, SellerKind};
use qoltanba_core::store::Settings;
use qoltanba_signer::testkeys::SOLE_IIN;

const DOC: &str = "doc_2610_points";

#[tokio::test]
async fn an_entrepreneurs_account_signs_with_the_personal_key_and_the_operator_accepts_it() {
    let server = Server::start(|s| s.sole_proprietor = true).await;
    let mut c = Client::new(); // starts with an organisation's BIN set by hand
    let name = format!("t-{}", uuid::Uuid::new_v4().simple());
    let me = add_account(
        &mut c.store,
        &name,
        &server.url(),
        Token::new(qoltanba_operator::DEFAULT_TOKEN).unwrap(),
        http(),
    )
    .await
    .unwrap();
    assert_eq!(me.organization.bin, SOLE_IIN);
    assert_eq!(
        me.organization.kind.as_deref(),
        Some("individual_entrepreneur")
    );
    let seller = Seller::new(SOLE_IIN, SellerKind::Iin);
    assert_eq!(c.store.seller().unwrap(), Some(seller));
    assert_eq!(
        current_account(&c.store).unwrap().seller_kind,
        SellerKind::Iin
    );

    c.sync(&server.client()).await.unwrap();
    let id = c.id(DOC);
    assert_eq!(
        c.store.document(id).unwrap().fields.recipient.unwrap().bin,
        SOLE_IIN,
        "the document is addressed to the entrepreneur"
    );
    c.store.accept(id).unwrap();
    c.sign_decision(&server, id, "sole_sign");
    let report = send_outbox(&mut c.store, &server.client(), &|_| true, &send_policy())
        .await
        .unwrap();
    assert_eq!(report.delivered.len(), 1, "{report:?}");
    assert_eq!(c.store.document(id).unwrap().status, Status::Delivered);
    assert_eq!(
        server.count(
            "SELECT COUNT(*) FROM documents WHERE id = ?1 AND status = 'signed'",
            DOC
        ),
        1
    );
    Tokens::of(&c.store).unwrap().delete(&name).unwrap();
}
