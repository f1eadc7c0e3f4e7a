//! The kinds of closing documents the marketplace sends, with their names in three languages.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A language of the interface. Russian is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ru,
    Kk,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "ru" => Some(Lang::Ru),
            "kk" => Some(Lang::Kk),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    SalesReport,
    PlacementServicesAct,
    OtherServicesAct,
    PointsBonusAct,
    GoodsCompensationAct,
    ServicesCompensationAct,
    GoodsDecompensationAct,
    ReconciliationAct,
    SalesReportCorrection,
    PlacementServicesActCorrection,
    OtherServicesActCorrection,
    PointsBonusActCorrection,
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 13] = [
        DocumentKind::SalesReport,
        DocumentKind::PlacementServicesAct,
        DocumentKind::OtherServicesAct,
        DocumentKind::PointsBonusAct,
        DocumentKind::GoodsCompensationAct,
        DocumentKind::ServicesCompensationAct,
        DocumentKind::GoodsDecompensationAct,
        DocumentKind::ReconciliationAct,
        DocumentKind::SalesReportCorrection,
        DocumentKind::PlacementServicesActCorrection,
        DocumentKind::OtherServicesActCorrection,
        DocumentKind::PointsBonusActCorrection,
        DocumentKind::Other,
    ];

    /// The code used by the operator API and stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::SalesReport => "sales_report",
            DocumentKind::PlacementServicesAct => "placement_services_act",
            DocumentKind::OtherServicesAct => "other_services_act",
            DocumentKind::PointsBonusAct => "points_bonus_act",
            DocumentKind::GoodsCompensationAct => "goods_compensation_act",
            DocumentKind::ServicesCompensationAct => "services_compensation_act",
            DocumentKind::GoodsDecompensationAct => "goods_decompensation_act",
            DocumentKind::ReconciliationAct => "reconciliation_act",
            DocumentKind::SalesReportCorrection => "sales_report_correction",
            DocumentKind::PlacementServicesActCorrection => "placement_services_act_correction",
            DocumentKind::OtherServicesActCorrection => "other_services_act_correction",
            DocumentKind::PointsBonusActCorrection => "points_bonus_act_correction",
            DocumentKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// For a correction, the kind of document it corrects.
    pub fn corrects(self) -> Option<DocumentKind> {
        match self {
            DocumentKind::SalesReportCorrection => Some(DocumentKind::SalesReport),
            DocumentKind::PlacementServicesActCorrection => {
                Some(DocumentKind::PlacementServicesAct)
            }
            DocumentKind::OtherServicesActCorrection => Some(DocumentKind::OtherServicesAct),
            DocumentKind::PointsBonusActCorrection => Some(DocumentKind::PointsBonusAct),
            _ => None,
        }
    }

    pub fn is_correction(self) -> bool {
        self.corrects().is_some()
    }

    /// The correction kind for an original kind, if corrections of it exist.
    pub fn correction(self) -> Option<DocumentKind> {
        DocumentKind::ALL
            .into_iter()
            .find(|k| k.corrects() == Some(self))
    }

    /// The display name, following the marketplace's own list of documents (see the glossary).
    pub fn name(self, lang: Lang) -> &'static str {
        use DocumentKind::*;
        match (self, lang) {
            (SalesReport, Lang::Ru) => "Отчёт о реализации товара",
            (SalesReport, Lang::Kk) => "Тауарды өткізу туралы есеп",
            (SalesReport, Lang::En) => "Product sales report",
            (PlacementServicesAct, Lang::Ru) => {
                "Акт выполненных работ (услуги по размещению товаров на Платформе)"
            }
            (PlacementServicesAct, Lang::Kk) => {
                "Орындалған жұмыстар актісі (тауарларды Платформада орналастыру қызметтері)"
            }
            (PlacementServicesAct, Lang::En) => {
                "Completed works act (product placement on the Platform)"
            }
            (OtherServicesAct, Lang::Ru) => "Акт выполненных работ (прочие услуги)",
            (OtherServicesAct, Lang::Kk) => "Орындалған жұмыстар актісі (өзге қызметтер)",
            (OtherServicesAct, Lang::En) => "Completed works act (other services)",
            (PointsBonusAct, Lang::Ru) => "Акт о премии за расчёты баллами",
            (PointsBonusAct, Lang::Kk) => "Балдармен есеп айырысқаны үшін сыйлықақы туралы акт",
            (PointsBonusAct, Lang::En) => "Act on the bonus for payments with points",
            (GoodsCompensationAct, Lang::Ru) => "Акт выполненных работ (компенсации по товарам)",
            (GoodsCompensationAct, Lang::Kk) => {
                "Орындалған жұмыстар актісі (тауарлар бойынша өтемақылар)"
            }
            (GoodsCompensationAct, Lang::En) => "Completed works act (compensation for products)",
            (ServicesCompensationAct, Lang::Ru) => "Акт выполненных работ (компенсации по услугам)",
            (ServicesCompensationAct, Lang::Kk) => {
                "Орындалған жұмыстар актісі (қызметтер бойынша өтемақылар)"
            }
            (ServicesCompensationAct, Lang::En) => {
                "Completed works act (compensation for services)"
            }
            (GoodsDecompensationAct, Lang::Ru) => {
                "Акт выполненных работ (декомпенсация по товарам)"
            }
            (GoodsDecompensationAct, Lang::Kk) => {
                "Орындалған жұмыстар актісі (тауарлар бойынша декомпенсация)"
            }
            (GoodsDecompensationAct, Lang::En) => {
                "Completed works act (reversal of product compensation)"
            }
            (ReconciliationAct, Lang::Ru) => "Акт сверки взаиморасчётов за период",
            (ReconciliationAct, Lang::Kk) => {
                "Кезеңдегі өзара есеп айырысуларды салыстырып тексеру актісі"
            }
            (ReconciliationAct, Lang::En) => "Reconciliation statement for the period",
            (SalesReportCorrection, Lang::Ru) => "Корректировочный отчёт о реализации товара",
            (SalesReportCorrection, Lang::Kk) => "Тауарды өткізу туралы түзету есебі",
            (SalesReportCorrection, Lang::En) => "Corrective product sales report",
            (PlacementServicesActCorrection, Lang::Ru) => {
                "Корректировочный акт (услуги по размещению товаров на Платформе)"
            }
            (PlacementServicesActCorrection, Lang::Kk) => {
                "Түзету актісі (тауарларды Платформада орналастыру қызметтері)"
            }
            (PlacementServicesActCorrection, Lang::En) => {
                "Corrective act (product placement on the Platform)"
            }
            (OtherServicesActCorrection, Lang::Ru) => "Корректировочный акт (прочие услуги)",
            (OtherServicesActCorrection, Lang::Kk) => "Түзету актісі (өзге қызметтер)",
            (OtherServicesActCorrection, Lang::En) => "Corrective act (other services)",
            (PointsBonusActCorrection, Lang::Ru) => {
                "Корректировочный акт о премии за расчёты баллами"
            }
            (PointsBonusActCorrection, Lang::Kk) => {
                "Балдармен есеп айырысқаны үшін сыйлықақы туралы түзету актісі"
            }
            (PointsBonusActCorrection, Lang::En) => {
                "Corrective act on the bonus for payments with points"
            }
            (Other, Lang::Ru) => "Прочий документ",
            (Other, Lang::Kk) => "Өзге құжат",
            (Other, Lang::En) => "Other document",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_its_code_and_has_three_names() {
        for k in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_code(k.code()), Some(k));
            for lang in [Lang::Ru, Lang::Kk, Lang::En] {
                assert!(!k.name(lang).is_empty());
            }
            assert_ne!(k.name(Lang::Ru), k.name(Lang::En));
        }
        assert_eq!(DocumentKind::from_code("invoice"), None);
    }

    #[test]
    fn corrections_point_at_the_kind_they_correct() {
        let corrections: Vec<_> = DocumentKind::ALL
            .into_iter()
            .filter(|k| k.is_correction())
            .collect();
        assert_eq!(corrections.len(), 4);
        assert_eq!(
            DocumentKind::SalesReport.correction(),
            Some(DocumentKind::SalesReportCorrection)
        );
        assert_eq!(
            DocumentKind::PointsBonusActCorrection.corrects(),
            Some(DocumentKind::PointsBonusAct)
        );
        assert_eq!(DocumentKind::ReconciliationAct.correction(), None);
    }
}
