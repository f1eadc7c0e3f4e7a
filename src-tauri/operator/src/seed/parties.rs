//! The two organisations of the demo: the marketplace sends, the seller signs.

use crate::document::Party;
use crate::settings::Settings;

pub const SELLER_BIN: &str = "123456789021";
pub const SELLER_NAME: &str = "ТОО «Продавец»";
pub const MARKETPLACE_BIN: &str = "201040012345";
pub const MARKETPLACE_NAME: &str = "ТОО «Маркетплейс»";
pub const EMPLOYEE_IIN: &str = "900101400123";
pub const EMPLOYEE_NAME: &str = "Ахметова Айгерим Сериковна";

/// The seller when it is an individual entrepreneur: its number is the IIN of qoltanba-signer's
/// `sole_sign` test key, so that key signs for it.
pub const SOLE_NAME: &str = "ИП «Кәсіпкер Дана»";

/// The seller the server is set up for: the organisation, or the entrepreneur.
pub fn seller_of(settings: &Settings) -> Party {
    if settings.sole_proprietor {
        Party {
            bin: qoltanba_signer::testkeys::SOLE_IIN.into(),
            name: SOLE_NAME.into(),
        }
    } else {
        seller()
    }
}

/// `legal_entity` or `individual_entrepreneur`, as `/me` names the seller's kind.
pub fn seller_kind(settings: &Settings) -> &'static str {
    if settings.sole_proprietor {
        "individual_entrepreneur"
    } else {
        "legal_entity"
    }
}

pub fn seller() -> Party {
    Party {
        bin: SELLER_BIN.into(),
        name: SELLER_NAME.into(),
    }
}

pub fn marketplace() -> Party {
    Party {
        bin: MARKETPLACE_BIN.into(),
        name: MARKETPLACE_NAME.into(),
    }
}
