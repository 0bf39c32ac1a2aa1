select * from {{ source('commerce', 'carts') }}
