//! The two organisations of the demo: the marketplace sends, the seller signs.

use crate::document::Party;

pub const SELLER_BIN: &str = "123456789021";
pub const SELLER_NAME: &str = "ТОО «Продавец»";
pub const MARKETPLACE_BIN: &str = "201040012345";
pub const MARKETPLACE_NAME: &str = "ТОО «Маркетплейс»";
pub const EMPLOYEE_IIN: &str = "900101400123";
pub const EMPLOYEE_NAME: &str = "Ахметова Айгерим Сериковна";

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
