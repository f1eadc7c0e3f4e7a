//! XML attachments: the electronic invoice (ESF) shown beside an act, and XML-form documents.

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub struct InvoiceLine<'a> {
    pub description: &'a str,
    pub amount: &'a str,
    pub vat: &'a str,
}

/// A simplified ESF (the state portal's invoice): shown to the user, never signed here.
#[allow(clippy::too_many_arguments)]
pub fn esf(
    number: &str,
    date: &str,
    seller: (&str, &str),
    customer: (&str, &str),
    lines: &[InvoiceLine],
    total: &str,
    vat: &str,
) -> Vec<u8> {
    let mut products = String::new();
    for line in lines {
        products.push_str(&format!(
            "      <product>\n        <description>{}</description>\n        <ndsRate>12</ndsRate>\n        <ndsAmount>{}</ndsAmount>\n        <priceWithTax>{}</priceWithTax>\n      </product>\n",
            escape(line.description),
            line.vat,
            line.amount
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<esf:invoice xmlns:esf=\"urn:qoltanba:demo:esf\">\n  <num>{}</num>\n  <date>{}</date>\n  <currency>KZT</currency>\n  <seller>\n    <tin>{}</tin>\n    <name>{}</name>\n  </seller>\n  <customer>\n    <tin>{}</tin>\n    <name>{}</name>\n  </customer>\n  <products>\n{products}  </products>\n  <totalPriceWithTax>{}</totalPriceWithTax>\n  <totalNdsAmount>{}</totalNdsAmount>\n</esf:invoice>\n",
        escape(number),
        date,
        seller.0,
        escape(seller.1),
        customer.0,
        escape(customer.1),
        total,
        vat
    )
    .into_bytes()
}
